namespace Election;

/// <summary>
/// Wraps an observation's async iterator so that its enumerator may be disposed while a
/// <c>MoveNextAsync</c> is pending. A compiler-generated iterator throws
/// <see cref="NotSupportedException"/> then; this one cancels the iterator, waits for the pending
/// step to finish (the iterator ends quietly on cancellation), and only then disposes it.
/// </summary>
internal sealed class LeaderObservation(
    Func<CancellationToken, IAsyncEnumerable<LeaderKey>> observe,
    CancellationToken observationToken) : IAsyncEnumerable<LeaderKey>
{
    public IAsyncEnumerator<LeaderKey> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        new Enumerator(observe, CancellationTokenSource.CreateLinkedTokenSource(observationToken, cancellationToken));

    private sealed class Enumerator : IAsyncEnumerator<LeaderKey>
    {
        private readonly CancellationTokenSource _stop;
        private readonly IAsyncEnumerator<LeaderKey> _inner;
        private Task<bool> _step = Task.FromResult(true);
        private int _disposed;

        public Enumerator(Func<CancellationToken, IAsyncEnumerable<LeaderKey>> observe, CancellationTokenSource stop)
        {
            _stop = stop;
            _inner = observe(stop.Token).GetAsyncEnumerator(stop.Token);
        }

        public LeaderKey Current => _inner.Current;

        public ValueTask<bool> MoveNextAsync()
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (!_step.IsCompleted)
            {
                throw new InvalidOperationException("MoveNextAsync was called before the previous call completed.");
            }

            var step = _inner.MoveNextAsync();
            if (step.IsCompleted)
            {
                return step;
            }

            _step = step.AsTask();
            return new ValueTask<bool>(_step);
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            await _stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await _step.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The pending step's caller sees the same; the observation is over either way.
            }

            await _inner.DisposeAsync().ConfigureAwait(false);
            _stop.Dispose();
        }
    }
}

namespace FakeEtcd.Clock;

/// <summary>
/// The synchronous run of application code that a counted delivery starts (a response handed to its
/// caller, a timer fired), from its start until that code reaches an await that does not complete and
/// the delivery returns. A call started inside a segment whose response arrives before the segment has
/// ended is answered only once it has ended: the caller may be between "is the task done?" and
/// "register my continuation" in its await, and a task completed in that gap runs the continuation
/// from the pool, after the answer stopped counting (seen under load on 2-core machines: the takeover's
/// next step ran 20 ms later, after the clock had moved on). Answered after the segment, the caller's
/// continuation is registered and runs inline, while the answer still counts.
/// </summary>
internal sealed class CallerSegment
{
    /// <summary>How long a deferred answer waits for its segment before it is handed over anyway (a caller blocking on it).</summary>
    internal static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(20);

    [ThreadStatic]
    private static CallerSegment? _current;

    private readonly Lock _gate = new();
    private readonly CallerSegment? _outer;
    private List<Deferred>? _deferred;
    private bool _ended;

    private CallerSegment(CallerSegment? outer) => _outer = outer;

    /// <summary>The segment running on this thread, if any.</summary>
    public static CallerSegment? Current => _current;

    /// <summary>Starts a segment on this thread; <see cref="End"/> it on the same thread.</summary>
    public static CallerSegment Begin() => _current = new CallerSegment(_current);

    /// <summary>Runs <paramref name="body"/> (which hands an answer to application code) as a segment.</summary>
    public static void Run<TState>(TState state, Action<TState> body)
    {
        var segment = Begin();
        try
        {
            body(state);
        }
        finally
        {
            segment.End();
        }
    }

    /// <summary>Ends the segment and hands over the answers that arrived while it ran.</summary>
    public void End()
    {
        _current = _outer;
        List<Deferred>? deferred;
        lock (_gate)
        {
            _ended = true;
            (deferred, _deferred) = (_deferred, null);
        }

        foreach (var handover in deferred ?? [])
        {
            handover.Run();
        }
    }

    /// <summary>
    /// Runs <paramref name="handover"/> now if <paramref name="segment"/> (where the call started) has
    /// ended, is null or is this thread's own, else once it ends or after <paramref name="patience"/>
    /// (infinite: no limit), whichever comes first. The task completes once it has run.
    /// </summary>
    public static Task HandOverAsync<TState>(CallerSegment? segment, TState state, Action<TState> handover, TimeSpan patience)
    {
        if (segment is not null && segment != _current)
        {
            lock (segment._gate)
            {
                if (!segment._ended)
                {
                    var deferred = new Deferred<TState>(state, handover);
                    (segment._deferred ??= []).Add(deferred);
                    if (patience != Timeout.InfiniteTimeSpan)
                    {
                        _ = PreciseDelay.WaitAsync(patience, CancellationToken.None).ContinueWith(
                            static (_, d) => ((Deferred)d!).Run(), deferred, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    }

                    return deferred.Done;
                }
            }
        }

        // No segment, it ended, or the answer arrived on the caller's own thread before it returned: nothing races.
        handover(state);
        return Task.CompletedTask;
    }

    /// <summary>A handover that runs once, from the segment's end or the patience timeout.</summary>
    private abstract class Deferred
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _ran;

        public Task Done => _done.Task;

        public void Run()
        {
            if (Interlocked.Exchange(ref _ran, 1) == 0)
            {
                try
                {
                    HandOver();
                }
                finally
                {
                    _done.TrySetResult();
                }
            }
        }

        protected abstract void HandOver();
    }

    private sealed class Deferred<TState>(TState state, Action<TState> handover) : Deferred
    {
        protected override void HandOver() => handover(state);
    }
}

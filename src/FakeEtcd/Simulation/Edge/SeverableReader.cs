using FakeEtcd.Clock;
using Grpc.Core;

namespace FakeEtcd.Simulation.Edge;

/// <summary>
/// The request stream of a simulated server: a fault can break it (a pending or later read fails with
/// Unavailable once severed), and each message read counts as activity until the handler asks for the
/// next one, so a settle cannot end between "message read" and "its handling counted" however long the
/// server thread is descheduled in between.
/// </summary>
internal sealed class SeverableReader<T>(IAsyncStreamReader<T> inner, CancellationToken severed, ActivityTracker activity) : IAsyncStreamReader<T>, IMessageHold
{
    private ActivityScope? _current;

    public T Current => inner.Current;

    public static RpcException Severed() => new(new Status(StatusCode.Unavailable, "error reading from server: EOF (stream severed by a FakeEtcd fault)"));

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        Release();
        severed.ThrowIfCancellationRequested();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, severed);
        try
        {
            var moved = await inner.MoveNext(linked.Token).ConfigureAwait(false);
            if (moved)
            {
                Volatile.Write(ref _current, activity.Begin());
            }

            return moved;
        }
        catch (OperationCanceledException) when (severed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Severed();
        }
    }

    /// <summary>Ends the current message's activity (before a virtual wait, and when the call ends).</summary>
    public void Release() => Interlocked.Exchange(ref _current, null)?.Dispose();

    /// <summary>Counts the current message again after a virtual wait released it.</summary>
    public void Resume() => Volatile.Write(ref _current, activity.Begin());
}

using Grpc.Core;

namespace FakeEtcd.Simulation.Edge;

/// <summary>A request stream that a fault can break: a pending or later read fails with Unavailable once severed.</summary>
internal sealed class SeverableReader<T>(IAsyncStreamReader<T> inner, CancellationToken severed) : IAsyncStreamReader<T>
{
    public T Current => inner.Current;

    public static RpcException Severed() => new(new Status(StatusCode.Unavailable, "error reading from server: EOF (stream severed by a FakeEtcd fault)"));

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        severed.ThrowIfCancellationRequested();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, severed);
        try
        {
            return await inner.MoveNext(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (severed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Severed();
        }
    }
}

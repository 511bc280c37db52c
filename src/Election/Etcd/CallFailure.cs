using Grpc.Core;

namespace Election.Etcd;

/// <summary>Tells a failed call (retry it) from our own cancellation (stop).</summary>
internal static class CallFailure
{
    /// <summary>
    /// True for the ways a gRPC call fails when the connection or the server goes away, including a
    /// cancellation that did not come from <paramref name="ours"/> (e.g. the channel was shut down).
    /// </summary>
    public static bool IsRetryable(Exception e, CancellationToken ours) =>
        !ours.IsCancellationRequested
        && e is RpcException or IOException or OperationCanceledException or InvalidOperationException or ObjectDisposedException
        && !(e is RpcException rpc && EtcdErrors.IsLeaseNotFound(rpc));
}

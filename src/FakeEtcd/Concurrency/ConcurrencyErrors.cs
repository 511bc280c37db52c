using FakeEtcd.Errors;
using Grpc.Core;

namespace FakeEtcd.Concurrency;

/// <summary>
/// The errors of etcd's election and lock servers. They run clientv3/concurrency over an in-process
/// client and return its errors as plain Go errors, so every one reaches the client as
/// <c>Unknown</c> with the message; only a cancelled call ends <c>Cancelled</c>.
/// </summary>
internal static class ConcurrencyErrors
{
    public static RpcException NotLeader() => Unknown("election: not leader");

    public static RpcException NoLeader() => Unknown("election: no leader");

    public static RpcException MissingLeaderKey() => Unknown("\"leader\" field must be provided");

    public static RpcException SessionExpired() => Unknown("mutex: session is expired");

    public static RpcException Cancelled() => new(new Status(StatusCode.Cancelled, "context canceled"));

    /// <summary>Runs an operation and maps core errors and cancellation the way etcd's servers do.</summary>
    public static async Task<T> Guard<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (EtcdException e)
        {
            throw Unknown(e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw Cancelled();
        }
    }

    /// <summary>As <see cref="Guard{T}"/>, for an operation that answers nothing.</summary>
    public static Task Guard(Func<Task> operation, CancellationToken cancellationToken) => Guard(
        async () =>
        {
            await operation().ConfigureAwait(false);
            return true;
        },
        cancellationToken);

    private static RpcException Unknown(string message) => new(new Status(StatusCode.Unknown, message));
}

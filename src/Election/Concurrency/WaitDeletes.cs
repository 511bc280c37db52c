using Election.Etcd;
using EtcdProtocol.Etcdserverpb;
using EtcdProtocol.Mvccpb;
using Grpc.Core;

namespace Election;

/// <summary>Go's <c>waitDeletes</c>: wait until no key under a prefix was created at or before a revision.</summary>
internal static class WaitDeletes
{
    /// <summary>Delay before retrying a read or watch whose member went away (the Go client's 500 ms).</summary>
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Repeatedly finds the newest key older than ours and waits for its DELETE, so each waiter
    /// watches only its predecessor (no herd). Returns the header of the final, empty read.
    /// </summary>
    /// <remarks>
    /// Like Go's client, a read or watch that fails because its etcd member went away (Unavailable,
    /// or Internal for a watch) is retried, on whichever member the channel picks next; the watch
    /// resumes from the same revision, so no DELETE is missed.
    /// </remarks>
    public static async Task<ResponseHeader> UntilAsync(
        EtcdApi etcd, string prefix, long maxCreateRevision, TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            RangeResponse response;
            try
            {
                response = await etcd.Kv.RangeAsync(Keys.LastCreatedUpTo(prefix, maxCreateRevision), cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(RetryInterval, time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (Keys.Single(response) is not { } predecessor)
            {
                return response.Header;
            }

            var key = predecessor.Key.ToStringUtf8();
            while (!await WaitDeleteAsync(etcd, key, response.Header.Revision, cancellationToken).ConfigureAwait(false))
            {
                await Task.Delay(RetryInterval, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>True once the DELETE was seen; false when the watch broke and should be reopened.</summary>
    private static async Task<bool> WaitDeleteAsync(EtcdApi etcd, string key, long revision, CancellationToken cancellationToken)
    {
        try
        {
            return await WatchForDeleteAsync(etcd, key, revision, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<bool> WatchForDeleteAsync(EtcdApi etcd, string key, long revision, CancellationToken cancellationToken)
    {
        using var watch = await WatchCall.StartAsync(etcd, key, revision, cancellationToken).ConfigureAwait(false);
        while (await watch.NextAsync().ConfigureAwait(false) is { } response)
        {
            if (response.CompactRevision > 0)
            {
                throw new ElectionException(ElectionException.CompactedMessage);
            }

            if (response.Events.Any(e => e.Type == Event.Types.EventType.Delete))
            {
                return true;
            }

            if (response.Canceled)
            {
                break;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new ElectionException("lost watcher waiting for delete");
    }
}

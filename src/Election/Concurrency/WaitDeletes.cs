using Election.Etcd;
using EtcdProtocol.Etcdserverpb;
using EtcdProtocol.Mvccpb;

namespace Election;

/// <summary>Go's <c>waitDeletes</c>: wait until no key under a prefix was created at or before a revision.</summary>
internal static class WaitDeletes
{
    /// <summary>
    /// Repeatedly finds the newest key older than ours and waits for its DELETE, so each waiter
    /// watches only its predecessor (no herd). Returns the header of the final, empty read.
    /// </summary>
    public static async Task<ResponseHeader> UntilAsync(EtcdApi etcd, string prefix, long maxCreateRevision, CancellationToken cancellationToken)
    {
        while (true)
        {
            var response = await etcd.Kv.RangeAsync(Keys.LastCreatedUpTo(prefix, maxCreateRevision), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            if (Keys.Single(response) is not { } predecessor)
            {
                return response.Header;
            }

            await WaitDeleteAsync(etcd, predecessor.Key.ToStringUtf8(), response.Header.Revision, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WaitDeleteAsync(EtcdApi etcd, string key, long revision, CancellationToken cancellationToken)
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
                return;
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

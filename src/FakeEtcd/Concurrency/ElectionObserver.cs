using EtcdProtocol.Etcdserverpb;
using EtcdProtocol.Mvccpb;
using EtcdProtocol.V3Electionpb;
using FakeEtcd.Apply;
using FakeEtcd.Errors;

namespace FakeEtcd.Concurrency;

/// <summary>
/// concurrency.Election.Observe: the current leader (or the first PUT under the prefix), then every
/// PUT of that leader key, and after its DELETE the next leader, until cancelled. When the revision
/// it would watch from has been compacted meanwhile it ends normally: Go's observe loop sees its
/// watch channel close after the compaction response and closes the stream with OK.
/// </summary>
internal sealed class ElectionObserver(Applier applier, KeyWaits waits)
{
    public async Task RunAsync(LeaderRequest request, Func<LeaderResponse, Task> send, CancellationToken cancellationToken)
    {
        var prefix = ConcurrencyKeys.Prefix(request.Name);
        while (!cancellationToken.IsCancellationRequested)
        {
            var first = applier.Range(ConcurrencyKeys.FirstCreated(prefix));
            KeyValue leader;
            ResponseHeader header;
            if (first.Kvs.Count == 0)
            {
                if (await WaitOrCompactedAsync(waits.WaitForPutAsync(prefix, first.Header.Revision, cancellationToken)).ConfigureAwait(false) is not { } put)
                {
                    return;
                }

                leader = put.Event.Kv;
                header = new ResponseHeader { Revision = leader.ModRevision };
            }
            else
            {
                (leader, header) = (first.Kvs[0], first.Header);
            }

            await send(new LeaderResponse { Header = header, Kv = leader }).ConfigureAwait(false);
            var from = header.Revision + 1;
            while (true)
            {
                if (await WaitOrCompactedAsync(waits.WaitForChangeAsync(leader.Key, from, cancellationToken)).ConfigureAwait(false) is not { } change)
                {
                    return;
                }

                if (change.Event.Type == Event.Types.EventType.Delete)
                {
                    break;
                }

                await send(new LeaderResponse { Header = new ResponseHeader { Revision = change.Revision }, Kv = change.Event.Kv }).ConfigureAwait(false);
                from = change.Revision + 1;
            }
        }
    }

    /// <summary>The event, or null when the start revision was compacted (the watch's end in Go).</summary>
    private static async Task<KeyEvent?> WaitOrCompactedAsync(Task<KeyEvent> wait)
    {
        try
        {
            return await wait.ConfigureAwait(false);
        }
        catch (EtcdException e) when (e.Message == EtcdErrors.Compacted().Message)
        {
            return null;
        }
    }
}

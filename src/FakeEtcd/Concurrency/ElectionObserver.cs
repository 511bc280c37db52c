using EtcdProtocol.Etcdserverpb;
using EtcdProtocol.Mvccpb;
using EtcdProtocol.V3Electionpb;
using FakeEtcd.Apply;

namespace FakeEtcd.Concurrency;

/// <summary>
/// concurrency.Election.Observe: the current leader (or the first PUT under the prefix), then every
/// PUT of that leader key, and after its DELETE the next leader, until cancelled.
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
                var put = await waits.WaitForPutAsync(prefix, first.Header.Revision, cancellationToken).ConfigureAwait(false);
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
                var change = await waits.WaitForChangeAsync(leader.Key, from, cancellationToken).ConfigureAwait(false);
                if (change.Event.Type == Event.Types.EventType.Delete)
                {
                    break;
                }

                await send(new LeaderResponse { Header = new ResponseHeader { Revision = change.Revision }, Kv = change.Event.Kv }).ConfigureAwait(false);
                from = change.Revision + 1;
            }
        }
    }
}

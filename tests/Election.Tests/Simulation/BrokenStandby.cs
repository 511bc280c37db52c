using Etcdserverpb;
using FakeEtcd.Simulation.History;
using Google.Protobuf;
using Grpc.Core;

namespace Election.Tests.Simulation;

/// <summary>
/// A deliberately broken election for the invariant checks to catch: it registers like a standby,
/// but when its CAS on the ACTIVE key fails it watches the key from revision 1 (ignoring the failed
/// txn's revision) and takes the first event, the old active's replayed PUT, for the key's deletion:
/// it believes it is active while the real active still holds the key.
/// </summary>
public static class BrokenStandby
{
    public static async Task RunAsync(CallInvoker etcd, SimulationHistory history, string client, string serverName, string activeKey, CancellationToken cancellationToken)
    {
        var lease = await new Lease.LeaseClient(etcd).LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 }, cancellationToken: cancellationToken);
        history.NoteSession(client, serverName, SessionNotes.Standby, lease.ID);
        var key = ByteString.CopyFromUtf8(activeKey);
        var cas = await new KV.KVClient(etcd).TxnAsync(
            new TxnRequest
            {
                Compare = { new Compare { Key = key, Target = Compare.Types.CompareTarget.Create, CreateRevision = 0 } },
                Success = { new RequestOp { RequestPut = new PutRequest { Key = key, Lease = lease.ID } } },
            },
            cancellationToken: cancellationToken);
        if (!cas.Succeeded)
        {
            using var watch = new Watch.WatchClient(etcd).Watch(cancellationToken: cancellationToken);
            await watch.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = key, StartRevision = 1 } }, cancellationToken);
            while (await watch.ResponseStream.MoveNext(cancellationToken) && watch.ResponseStream.Current.Events.Count == 0)
            {
            }
        }

        history.NoteSession(client, serverName, SessionNotes.Active, lease.ID);
    }
}

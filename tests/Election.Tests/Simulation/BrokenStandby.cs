using Etcdserverpb;
using FakeEtcd.Simulation.History;
using Google.Protobuf;
using Grpc.Core;

namespace Election.Tests.Simulation;

/// <summary>Deliberately broken standbys for the invariant checks to catch.</summary>
public static class BrokenStandby
{
    /// <summary>How often <see cref="PollsAsync"/> retries its CAS: 7 s, so that a lease end on a whole 20 s keepalive step falls between two polls.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(7);

    /// <summary>
    /// Registers like a standby, but when its CAS on the ACTIVE key fails it watches the key from
    /// revision 1 (ignoring the failed txn's revision) and takes the first event, the old active's
    /// replayed PUT, for the key's deletion: it believes it is active while the real active still holds the key.
    /// </summary>
    public static async Task IgnoresWatchRevisionAsync(CallInvoker etcd, SimulationHistory history, string client, string serverName, string activeKey, CancellationToken cancellationToken)
    {
        var lease = await new Lease.LeaseClient(etcd).LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 }, cancellationToken: cancellationToken);
        history.NoteSession(client, serverName, SessionNotes.Standby, lease.ID);
        var key = ByteString.CopyFromUtf8(activeKey);
        var cas = await ActiveKey.TryTakeAsync(etcd, key, lease.ID, cancellationToken);
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

    /// <summary>
    /// Never watches: retries its CAS every <see cref="PollInterval"/> of virtual time (its own lease is
    /// long enough to need no keepalives), so it takes over correctly but up to one poll late.
    /// </summary>
    public static async Task PollsAsync(CallInvoker etcd, TimeProvider clock, SimulationHistory history, string client, string serverName, string activeKey, CancellationToken cancellationToken)
    {
        var lease = await new Lease.LeaseClient(etcd).LeaseGrantAsync(new LeaseGrantRequest { TTL = 3600 }, cancellationToken: cancellationToken);
        history.NoteSession(client, serverName, SessionNotes.Standby, lease.ID);
        var key = ByteString.CopyFromUtf8(activeKey);
        while (true)
        {
            var cas = await ActiveKey.TryTakeAsync(etcd, key, lease.ID, cancellationToken);
            if (cas.Succeeded)
            {
                history.NoteSession(client, serverName, SessionNotes.Active, lease.ID);
                return;
            }

            await Task.Delay(PollInterval, clock, cancellationToken);
        }
    }
}

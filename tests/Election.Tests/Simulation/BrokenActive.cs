using Etcdserverpb;
using FakeEtcd.Simulation.History;
using Google.Protobuf;
using Grpc.Core;

namespace Election.Tests.Simulation;

/// <summary>A deliberately broken active for the invariant checks to catch.</summary>
public static class BrokenActive
{
    /// <summary>The broken active's lease TTL and keepalive interval: the real sessions' 60 s and a third of it.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Takes the ACTIVE key on a 60 s lease and keeps it alive every 20 s of virtual time, but ignores
    /// failed keepalives and its own deadline: cut off from etcd, it goes on believing it is active
    /// after its lease has expired and a standby has taken over (split brain on the active's side).
    /// </summary>
    public static async Task IgnoresItsDeadlineAsync(CallInvoker etcd, TimeProvider clock, SimulationHistory history, string client, string serverName, string activeKey, CancellationToken cancellationToken)
    {
        var leases = new Lease.LeaseClient(etcd);
        var lease = await leases.LeaseGrantAsync(new LeaseGrantRequest { TTL = (long)Ttl.TotalSeconds }, cancellationToken: cancellationToken);
        history.NoteSession(client, serverName, SessionNotes.Standby, lease.ID);
        var key = ByteString.CopyFromUtf8(activeKey);
        var cas = await ActiveKey.TryTakeAsync(etcd, key, lease.ID, cancellationToken);
        if (!cas.Succeeded)
        {
            return;
        }

        history.NoteSession(client, serverName, SessionNotes.Active, lease.ID);
        while (true)
        {
            await Task.Delay(Ttl / 3, clock, cancellationToken);
            try
            {
                using var keepAlive = leases.LeaseKeepAlive(cancellationToken: cancellationToken);
                await keepAlive.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease.ID }, cancellationToken);
                await keepAlive.ResponseStream.MoveNext(cancellationToken);
                await keepAlive.RequestStream.CompleteAsync();
            }
            catch (RpcException)
            {
                // The bug: a failed keepalive changes nothing; it never steps down.
            }
        }
    }
}

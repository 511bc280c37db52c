using Etcdserverpb;
using FakeEtcd.Simulation.Faults;
using FakeEtcd.Simulation.History;

namespace Election.Tests.Simulation;

/// <summary>
/// Stopping a session whose etcd cannot be reached: the revoke is given up after
/// <see cref="SessionOptions.RevokeTimeout"/> of the session's TimeProvider (Milvus: Revoke(time.Second)),
/// so StopAsync returns and the lease is left to expire on the server.
/// </summary>
public sealed class StopWhileCutOffTests
{
    [Fact(Timeout = 30_000)]
    public async Task Stop_gives_the_revoke_up_after_the_revoke_timeout_and_the_lease_expires_on_its_own()
    {
        await using var etcd = await SimulatedEtcd.StartAsync();
        var session = await ActiveStandbySession.RegisterAsync(etcd.Invoker("c1"), new SessionOptions
        {
            ServerName = "rootcoord",
            Address = "c1:53100",
            Ttl = TimeSpan.FromSeconds(60),
            TimeProvider = etcd.Clock,
        }, TestContext.Current.CancellationToken);
        etcd.Server.Faults.Inject(new Fault { Kind = FaultKind.Partition, Mode = PartitionMode.Hang, Client = "c1" });
        await etcd.AdvanceAsync(TimeSpan.Zero);

        var stop = session.StopAsync();
        await etcd.AdvanceAsync(TimeSpan.FromMilliseconds(999));
        Assert.False(stop.IsCompleted);
        await etcd.AdvanceAsync(TimeSpan.FromMilliseconds(1));

        // No more virtual time is needed; the cancelled call's continuations finish on the pool (Timeout: a safety net only).
        await stop.WaitAsync(TestContext.Current.CancellationToken);

        var leases = await etcd.Leases("observer").LeaseLeasesAsync(new LeaseLeasesRequest(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(session.LeaseId, Assert.Single(leases.Leases).ID);
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(59));
        Assert.Equal(
            [$"t=60.000s server     LeaseExpired     rev=5 lease={session.LeaseId:x}"],
            etcd.Lines(e => e.Kind is HistoryKind.LeaseExpired or HistoryKind.LeaseRevoked));
    }
}

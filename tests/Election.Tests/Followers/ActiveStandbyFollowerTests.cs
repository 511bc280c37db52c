using dotnet_etcd;
using Election.Tests.Support;
using FakeEtcd;

namespace Election.Tests.Followers;

/// <summary>
/// Milvus's coordinator failover with each coordinator on its own connection following the server's
/// clock (<see cref="RemoteVirtualClock"/>), as a coordinator process does: the server's advance
/// drives their keepalives and standby loops, so 10 healthy virtual minutes pass without a failover
/// and a dead active is replaced exactly when its lease ends.
/// </summary>
public sealed class ActiveStandbyFollowerTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Healthy_pair_keeps_its_active_for_ten_minutes_and_a_dead_active_is_replaced_exactly_at_its_lease_end()
    {
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        await using var clockA = await RemoteVirtualClock.ConnectAsync(server.ClientUrl, new RemoteVirtualClockOptions { Name = "rootcoord-a" }, Ct);
        await using var clockB = await RemoteVirtualClock.ConnectAsync(server.ClientUrl, new RemoteVirtualClockOptions { Name = "rootcoord-b" }, Ct);
        await using var a = await Candidate.StartAsync(clockA.CallInvoker, "by-dev/meta", "rootcoord", Ttl, clockA);
        await server.Clock.SettleAsync(Ct);
        await using var b = await Candidate.StartAsync(clockB.CallInvoker, "by-dev/meta", "rootcoord", Ttl, clockB);
        await server.Clock.SettleAsync(Ct);
        Assert.Equal((SessionState.Active, SessionState.Standby), (a.Session.State, b.Session.State));

        await server.Clock.AdvanceAsync(TimeSpan.FromMinutes(10), Ct);

        Assert.Equal((SessionState.Active, SessionState.Standby), (a.Session.State, b.Session.State));
        Assert.Equal((1, 0), (a.Activations, b.Activations));
        Assert.Equal(60, b.Log.Count("is in STANDBY")); // every 10 virtual seconds
        using var etcd = new EtcdClient(server.CreateCallInvoker());
        foreach (var lease in new[] { a.Session.LeaseId, b.Session.LeaseId })
        {
            // Renewed every TTL/3 on the followers' clocks: the last renewal was at the 10-minute instant.
            var ttl = await etcd.LeaseTimeToLiveAsync(new Etcdserverpb.LeaseTimeToLiveRequest { ID = lease }, cancellationToken: Ct);
            Assert.Equal(60, ttl.TTL);
        }

        // kill -9 of A: its process stops following and its calls stop; nothing revokes its lease.
        a.Invoker.Crash();
        await clockA.DisposeAsync();
        var lastRenewal = VirtualClock.DefaultStart + TimeSpan.FromMinutes(10);
        await server.Clock.AdvanceToAsync(lastRenewal + Ttl - TimeSpan.FromMilliseconds(1), Ct);
        Assert.Equal(SessionState.Standby, b.Session.State);
        await server.Clock.AdvanceAsync(TimeSpan.FromMilliseconds(1), Ct);
        Assert.Equal(SessionState.Active, b.Session.State);
        Assert.Equal(lastRenewal + Ttl, await b.Activated);
        Assert.Equal(lastRenewal + Ttl, clockB.GetUtcNow());
    }
}

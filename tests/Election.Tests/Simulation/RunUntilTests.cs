using Etcdserverpb;
using FakeEtcd;

namespace Election.Tests.Simulation;

/// <summary>Issue 7.6: advance through due timers until a condition holds, or fail with the history.</summary>
public sealed class RunUntilTests
{
    [Fact]
    public async Task Runs_timer_by_timer_until_the_condition_holds()
    {
        await using var etcd = await SimulatedEtcd.StartAsync();
        var lease = await etcd.Leases("alice").LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 }, cancellationToken: TestContext.Current.CancellationToken);
        await etcd.PutAsync("alice", "a", lease.ID);

        var took = await etcd.Clock.RunUntilAsync(() => etcd.Server.Revision == 3, TimeSpan.FromMinutes(10), TestContext.Current.CancellationToken);

        // The only timer is the lease expiry: the run stops right there, not at the limit.
        Assert.Equal(TimeSpan.FromSeconds(60), took);
        Assert.Equal(TimeSpan.FromSeconds(60), etcd.Clock.Elapsed);
    }

    [Fact]
    public async Task Returns_at_once_when_the_condition_already_holds()
    {
        await using var etcd = await SimulatedEtcd.StartAsync();
        Assert.Equal(TimeSpan.Zero, await etcd.Clock.RunUntilAsync(() => true, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Fails_at_the_virtual_limit_with_the_history()
    {
        await using var etcd = await SimulatedEtcd.StartAsync();
        await etcd.PutAsync("alice", "a");

        var failure = await Assert.ThrowsAsync<VirtualTimeLimitException>(() =>
            etcd.Clock.RunUntilAsync(() => etcd.Server.Revision == 3, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        Assert.Equal(TimeSpan.FromSeconds(30), etcd.Clock.Elapsed);
        Assert.Equal(TimeSpan.FromSeconds(30), failure.Limit);
        Assert.Contains("t=0.000s alice      Commit           rev=2 [PUT a@2]", failure.Message, StringComparison.Ordinal);
    }
}

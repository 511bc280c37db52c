using Election;
using FakeEtcd.Testing;

namespace FakeEtcd.Sample.Tests;

/// <summary>
/// Active-standby failover of two coordinators (FakeEtcd.Election) on the fixture's virtual clock:
/// ten minutes of keepalives take a moment, and a crashed active's lease expires when the test says.
/// </summary>
[Collection(EtcdCollection.Name)]
public sealed class FailoverTests(FakeEtcdFixture etcd)
{
    /// <summary>Bounds a wait for a reaction that needs no virtual time (a watch event and a txn).</summary>
    private static readonly TimeSpan ReactionLimit = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StandbyTakesOverWhenTheActiveStops()
    {
        var root = etcd.UniquePrefix("milvus");
        await using var a = await Coordinator.StartAsync(etcd.CreateCallInvoker(), root, etcd.Clock);
        await a.Activated.WaitAsync(ReactionLimit, Ct);
        await using var b = await Coordinator.StartAsync(etcd.CreateCallInvoker(), root, etcd.Clock);
        await etcd.SettleAsync(Ct);

        // Keepalives every TTL/3 (20 s) hold both sessions through ten virtual minutes.
        await etcd.AdvanceAsync(TimeSpan.FromMinutes(10), Ct);
        Assert.Equal((SessionState.Active, SessionState.Standby), (a.Session.State, b.Session.State));

        await a.Session.StopAsync();
        await b.Activated.WaitAsync(ReactionLimit, Ct);

        Assert.Equal((SessionState.Stopped, SessionState.Active), (a.Session.State, b.Session.State));
        Assert.True(b.Session.Epoch > a.Session.Epoch, "the new active's fencing token must be greater");
    }

    [Fact]
    public async Task StandbyTakesOverOnlyOnceTheCrashedActivesLeaseExpires()
    {
        var root = etcd.UniquePrefix("milvus");
        await using var a = await Coordinator.StartAsync(etcd.CreateCallInvoker(), root, etcd.Clock);
        await a.Activated.WaitAsync(ReactionLimit, Ct);
        await using var b = await Coordinator.StartAsync(etcd.CreateCallInvoker(), root, etcd.Clock);
        await etcd.SettleAsync(Ct);

        await a.CrashAsync();
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(59), Ct);
        Assert.Equal(SessionState.Standby, b.Session.State);
        Assert.False(b.Activated.IsCompleted, "the standby must wait for the crashed active's lease");

        // No time passed between the grant and the crash: the lease ends one TTL (60 s) after it.
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(1), Ct);
        await b.Activated.WaitAsync(ReactionLimit, Ct);
        Assert.Equal(SessionState.Active, b.Session.State);
    }
}

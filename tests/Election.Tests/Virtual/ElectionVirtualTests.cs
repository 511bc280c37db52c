using Election.Tests.Support;
using FakeEtcd;

namespace Election.Tests.Virtual;

/// <summary>Election and mutex equivalents of the failover scenarios, in virtual time.</summary>
public sealed class ElectionVirtualTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Candidates_lead_in_queue_order_and_a_crashed_leader_is_replaced_at_lease_expiry()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var crashable = new CrashableInvoker(etcd.Invoker);
        var s1 = await Session.CreateAsync(crashable.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        await using var s2 = await Session.CreateAsync(etcd.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        await using var s3 = await Session.CreateAsync(etcd.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        var e1 = new LeaderElection(s1, "svc");
        var e2 = new LeaderElection(s2, "svc");
        var e3 = new LeaderElection(s3, "svc");

        await e1.CampaignAsync("one", TestContext.Current.CancellationToken);
        var second = e2.CampaignAsync("two", TestContext.Current.CancellationToken);
        await etcd.SettleAsync();
        var third = e3.CampaignAsync("three", TestContext.Current.CancellationToken);
        await etcd.SettleAsync();
        Assert.False(second.IsCompleted || third.IsCompleted);

        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(30)); // s1's lease renewed at 20 s
        crashable.Crash();
        await s1.OrphanAsync();
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(80) - TimeSpan.FromMilliseconds(1));
        Assert.False(second.IsCompleted);
        await etcd.AdvanceAsync(TimeSpan.FromMilliseconds(1));
        Assert.True(second.IsCompletedSuccessfully);
        Assert.False(third.IsCompleted);
        Assert.Equal("two", (await e3.LeaderAsync(TestContext.Current.CancellationToken)).ValueText);

        await e2.ResignAsync(TestContext.Current.CancellationToken);
        await etcd.SettleAsync();
        Assert.True(third.IsCompletedSuccessfully);
        Assert.Equal("three", (await e2.LeaderAsync(TestContext.Current.CancellationToken)).ValueText);
        Assert.Equal((3, 4), (e2.Revision, e3.Revision)); // revision 1 is the empty store; the campaigns put at 2, 3 and 4

    }

    [Fact]
    public async Task Proclaim_after_losing_the_key_is_not_leader()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var s = await Session.CreateAsync(etcd.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        var e = new LeaderElection(s, "svc");
        await e.CampaignAsync("v1", TestContext.Current.CancellationToken);
        await etcd.Operator.DeleteAsync(e.Key, cancellationToken: TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<ElectionException>(() => e.ProclaimAsync("v2", TestContext.Current.CancellationToken));
        Assert.Equal(ElectionException.NotLeaderMessage, error.Message);
        var none = await Assert.ThrowsAsync<ElectionException>(() => e.LeaderAsync(TestContext.Current.CancellationToken));
        Assert.Equal(ElectionException.NoLeaderMessage, none.Message);
    }

    [Fact]
    public async Task Mutex_waiter_gets_the_lock_when_the_holders_lease_expires()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var crashable = new CrashableInvoker(etcd.Invoker);
        var holder = await Session.CreateAsync(crashable.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        await using var waiter = await Session.CreateAsync(etcd.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        var m1 = new EtcdMutex(holder, "lock");
        var m2 = new EtcdMutex(waiter, "lock");
        await m1.LockAsync(TestContext.Current.CancellationToken);
        var locking = m2.LockAsync(TestContext.Current.CancellationToken);
        await etcd.SettleAsync();
        crashable.Crash();
        await holder.OrphanAsync();

        await etcd.AdvanceToAsync(Ttl - TimeSpan.FromMilliseconds(1));
        Assert.False(locking.IsCompleted);
        await etcd.AdvanceAsync(TimeSpan.FromMilliseconds(1));
        Assert.True(locking.IsCompletedSuccessfully);
        Assert.Equal(VirtualClock.DefaultStart + Ttl, etcd.Clock.GetUtcNow());
    }

    [Fact]
    public async Task Compacted_wait_is_an_error_as_in_go()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var s1 = await Session.CreateAsync(etcd.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        await using var s2 = await Session.CreateAsync(etcd.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        await new LeaderElection(s1, "svc").CampaignAsync("one", TestContext.Current.CancellationToken);
        var crashable = new CrashableInvoker(etcd.Invoker);
        crashable.BeforeWatch = () =>
        {
            etcd.Operator.Put("other", "x");
            var put = etcd.Operator.Put("other", "y");
            etcd.Operator.Compact(new Etcdserverpb.CompactionRequest { Revision = put.Header.Revision });
            crashable.BeforeWatch = null;
        };
        await using var s2b = await Session.CreateAsync(crashable.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<ElectionException>(() => new LeaderElection(s2b, "svc").CampaignAsync("two", TestContext.Current.CancellationToken));
        Assert.Equal(ElectionException.CompactedMessage, error.Message);
    }
}

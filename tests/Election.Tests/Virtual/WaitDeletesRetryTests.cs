using Election.Tests.Support;

namespace Election.Tests.Virtual;

/// <summary>
/// A campaign or lock waiting for its predecessor's delete survives its watch breaking (an etcd
/// member dying): the watch is reopened from the same revision 500 ms later, so the delete is not missed.
/// </summary>
public sealed class WaitDeletesRetryTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Campaign_waits_through_a_broken_watch_and_wins_when_the_leader_resigns()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var breaking = new BreakingWatchInvoker(etcd.Invoker, breakFirst: 2);
        await using var s1 = await Session.CreateAsync(etcd.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        await using var s2 = await Session.CreateAsync(breaking.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        var e1 = new LeaderElection(s1, "svc");
        var e2 = new LeaderElection(s2, "svc");
        await e1.CampaignAsync("one", TestContext.Current.CancellationToken);

        var second = e2.CampaignAsync("two", TestContext.Current.CancellationToken);
        await AdvanceUntilAsync(etcd, () => breaking.Watches == 3); // two broken watches, each reopened 500 ms later
        var waitingAfterBreaks = !second.IsCompleted;
        await e1.ResignAsync(TestContext.Current.CancellationToken);
        await second.WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.True(waitingAfterBreaks);
        Assert.Equal(2, breaking.Broken);
        Assert.Equal("two", (await e1.LeaderAsync(TestContext.Current.CancellationToken)).ValueText);
    }

    [Fact]
    public async Task Lock_waits_through_a_broken_watch_and_is_acquired_on_unlock()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var breaking = new BreakingWatchInvoker(etcd.Invoker, breakFirst: 1);
        await using var s1 = await Session.CreateAsync(etcd.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        await using var s2 = await Session.CreateAsync(breaking.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        var m1 = new EtcdMutex(s1, "lk");
        var m2 = new EtcdMutex(s2, "lk");
        await m1.LockAsync(TestContext.Current.CancellationToken);

        var second = m2.LockAsync(TestContext.Current.CancellationToken);
        await AdvanceUntilAsync(etcd, () => breaking.Watches == 2);
        var waitingAfterBreak = !second.IsCompleted;
        await m1.UnlockAsync(TestContext.Current.CancellationToken);
        await second.WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.True(waitingAfterBreak);
        Assert.Equal(1, breaking.Broken);
    }

    /// <summary>
    /// Moves virtual time in 100 ms steps until <paramref name="condition"/> holds: the retry timers
    /// are armed on thread-pool hops a settle cannot always see, so each step also waits on the wall clock.
    /// </summary>
    private static async Task AdvanceUntilAsync(VirtualEtcd etcd, Func<bool> condition)
    {
        for (var step = 0; !condition(); step++)
        {
            Assert.True(step < 200, "the waiter did not reopen its watch");
            await etcd.AdvanceAsync(TimeSpan.FromMilliseconds(100));
            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System, TestContext.Current.CancellationToken);
        }
    }
}

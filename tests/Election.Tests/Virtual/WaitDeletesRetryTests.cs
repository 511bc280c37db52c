using Election.Tests.Support;
using FakeEtcd;

namespace Election.Tests.Virtual;

/// <summary>
/// A campaign or lock waiting for its predecessor's delete survives its watch breaking (an etcd
/// member dying): the watch is reopened from the same revision exactly 500 ms later, so the delete is not missed.
/// </summary>
public sealed class WaitDeletesRetryTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Campaign_waits_through_a_broken_watch_and_wins_when_the_leader_resigns()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var breaking = new BreakingWatchInvoker(etcd.Invoker, breakFirst: 2, etcd.Clock);
        await using var s1 = await Session.CreateAsync(etcd.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        await using var s2 = await Session.CreateAsync(breaking.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        var e1 = new LeaderElection(s1, "svc");
        var e2 = new LeaderElection(s2, "svc");
        await e1.CampaignAsync("one", TestContext.Current.CancellationToken);

        var second = e2.CampaignAsync("two", TestContext.Current.CancellationToken);
        var started = etcd.Clock.GetUtcNow();
        await ReopensAfterRetryIntervalAsync(etcd, breaking, started, reopens: 2);
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
        var breaking = new BreakingWatchInvoker(etcd.Invoker, breakFirst: 1, etcd.Clock);
        await using var s1 = await Session.CreateAsync(etcd.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        await using var s2 = await Session.CreateAsync(breaking.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        var m1 = new EtcdMutex(s1, "lk");
        var m2 = new EtcdMutex(s2, "lk");
        await m1.LockAsync(TestContext.Current.CancellationToken);

        var second = m2.LockAsync(TestContext.Current.CancellationToken);
        var started = etcd.Clock.GetUtcNow();
        await ReopensAfterRetryIntervalAsync(etcd, breaking, started, reopens: 1);
        var waitingAfterBreak = !second.IsCompleted;
        await m1.UnlockAsync(TestContext.Current.CancellationToken);
        await second.WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.True(waitingAfterBreak);
        Assert.Equal(1, breaking.Broken);
    }

    /// <summary>
    /// Each broken watch must be reopened exactly the retry interval (500 ms) after it broke, and not
    /// before: the clock stops 1 ms short of each retry, then steps onto it. The waits for the watch
    /// to open and for the retry timer to be armed are on the wall clock, bounded, because they cross
    /// thread-pool hops that a settle cannot always see; virtual time never moves while they wait.
    /// </summary>
    private static async Task ReopensAfterRetryIntervalAsync(VirtualEtcd etcd, BreakingWatchInvoker breaking, DateTimeOffset started, int reopens)
    {
        var retry = TimeSpan.FromMilliseconds(500);
        var expected = Enumerable.Range(0, reopens + 1).Select(i => started + (i * retry)).ToList();
        for (var opened = 1; opened <= reopens + 1; opened++)
        {
            await SessionWaits.UntilAsync(() => breaking.Watches == opened, $"watch {opened} is open");
            if (opened > reopens)
            {
                break;
            }

            var due = expected[opened];
            await SessionWaits.UntilAsync(() => etcd.Clock.NextTimerDue == due, $"the retry after watch {opened} broke is armed for {due:HH:mm:ss.fff}");
            await etcd.AdvanceToAsync(due - VirtualClock.DefaultStart - TimeSpan.FromMilliseconds(1));
            Assert.Equal(opened, breaking.Watches);
            await etcd.AdvanceToAsync(due - VirtualClock.DefaultStart);
        }

        Assert.Equal(expected, breaking.OpenedAt);
        Assert.Equal(reopens + 1, breaking.Watches);
    }
}

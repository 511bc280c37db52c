using Election.Tests.Support;

namespace Election.Tests.Virtual;

/// <summary>Observing an election in virtual time: the leaders in order, and stopping while a read is pending.</summary>
public sealed class ObserveVirtualTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Observer_sees_each_leader_and_proclamation_in_order()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var s1 = await Session.CreateAsync(etcd.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        await using var s2 = await Session.CreateAsync(etcd.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        var e1 = new LeaderElection(s1, "svc");
        var e2 = new LeaderElection(s2, "svc");
        await using var observer = new LeaderElection(s1, "svc").ObserveAsync(TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);

        var first = observer.MoveNextAsync().AsTask();
        await etcd.SettleAsync();
        Assert.False(first.IsCompleted);
        await e1.CampaignAsync("one", TestContext.Current.CancellationToken);
        Assert.True(await first.WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken));
        Assert.Equal(("one", 2L), (observer.Current.ValueText, observer.Current.CreateRevision));

        var second = e2.CampaignAsync("two", TestContext.Current.CancellationToken);
        await etcd.SettleAsync(); // e2's key at 3, queued behind e1
        Assert.False(second.IsCompleted);
        await e1.ProclaimAsync("one again", TestContext.Current.CancellationToken);
        Assert.True(await observer.MoveNextAsync().AsTask().WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken));
        Assert.Equal(("one again", 4L), (observer.Current.ValueText, observer.Current.ModRevision));

        await e1.ResignAsync(TestContext.Current.CancellationToken);
        await second.WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken);
        Assert.True(await observer.MoveNextAsync().AsTask().WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken));
        Assert.Equal(("two", 3L), (observer.Current.ValueText, observer.Current.CreateRevision));
    }

    [Theory]
    [InlineData(false)] // waiting for a first leader
    [InlineData(true)]  // waiting for the leader's next change
    public async Task Disposing_the_observer_while_a_read_is_pending_ends_the_read_with_false(bool withLeader)
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var session = await Session.CreateAsync(etcd.Invoker, Ttl, etcd.Clock, cancellationToken: TestContext.Current.CancellationToken);
        if (withLeader)
        {
            await new LeaderElection(session, "svc").CampaignAsync("one", TestContext.Current.CancellationToken);
        }

        var observer = new LeaderElection(session, "svc").ObserveAsync(TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        if (withLeader)
        {
            Assert.True(await observer.MoveNextAsync());
            Assert.Equal("one", observer.Current.ValueText);
        }

        var pending = observer.MoveNextAsync().AsTask();
        await etcd.SettleAsync();
        Assert.False(pending.IsCompleted);
        await Assert.ThrowsAsync<InvalidOperationException>(() => observer.MoveNextAsync().AsTask());

        await observer.DisposeAsync();
        Assert.True(pending.IsCompleted);
        Assert.False(await pending);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => observer.MoveNextAsync().AsTask());
        await observer.DisposeAsync(); // twice is fine
    }
}

using dotnet_etcd;
using Grpc.Core;

namespace Election.Tests.Support;

/// <summary>
/// A C# candidate and Go's clientv3 (<c>etcdctl elect</c> / <c>etcdctl lock</c>) in one election or
/// lock: same key layout, same queue order. Subclasses pick the server (real etcd, FakeEtcd).
/// </summary>
public abstract class InteropTests
{
    protected abstract CallInvoker Invoker { get; }

    protected abstract Uri ClientUrl { get; }

    protected abstract TimeProvider Time { get; }

    protected abstract string UniqueName(string name);

    [Fact]
    public async Task Csharp_candidate_and_etcdctl_elect_take_turns()
    {
        EtcdctlProcess.Require();
        var name = UniqueName("elect");
        await using var session = await Session.CreateAsync(Invoker, TimeSpan.FromSeconds(10), Time, cancellationToken: TestContext.Current.CancellationToken);
        var election = new LeaderElection(session, name);
        await election.CampaignAsync("csharp", TestContext.Current.CancellationToken);
        Assert.Equal(Keys(name, session.LeaseId), election.Key);

        await using var go = EtcdctlProcess.Start(ClientUrl, "elect", name, "from-go");
        await WaitForCandidatesAsync(name, 2);
        Assert.Equal("csharp", (await election.LeaderAsync(TestContext.Current.CancellationToken)).ValueText);
        Assert.False(go.TryReadLine(out _), "etcdctl must not lead while the C# candidate does");

        await election.ResignAsync(TestContext.Current.CancellationToken);
        var goKey = await go.NextLineAsync();
        Assert.Equal("from-go", await go.NextLineAsync());
        var leader = await election.LeaderAsync(TestContext.Current.CancellationToken);
        Assert.Equal((goKey, "from-go"), (leader.Key, leader.ValueText));
        Assert.StartsWith(name + "/", goKey, StringComparison.Ordinal);

        var again = election.CampaignAsync("csharp-again", TestContext.Current.CancellationToken);
        await WaitForCandidatesAsync(name, 2);
        Assert.False(again.IsCompleted);
        await go.InterruptAsync();
        await again.WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken);
        Assert.Equal("csharp-again", (await election.LeaderAsync(TestContext.Current.CancellationToken)).ValueText);
    }

    [Fact]
    public async Task Observer_sees_the_leaders_of_both_clients_in_order()
    {
        EtcdctlProcess.Require();
        var name = UniqueName("observe");
        await using var session = await Session.CreateAsync(Invoker, TimeSpan.FromSeconds(10), Time, cancellationToken: TestContext.Current.CancellationToken);
        var election = new LeaderElection(session, name);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        await using var observer = new LeaderElection(session, name).ObserveAsync(stop.Token).GetAsyncEnumerator(stop.Token);

        var first = observer.MoveNextAsync().AsTask();
        await using var go = EtcdctlProcess.Start(ClientUrl, "elect", name, "go-1");
        await go.NextLineAsync();
        Assert.True(await first.WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken));
        Assert.Equal("go-1", observer.Current.ValueText);

        var campaign = election.CampaignAsync("cs-2", TestContext.Current.CancellationToken);
        await WaitForCandidatesAsync(name, 2);
        await go.InterruptAsync();
        await campaign.WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken);
        Assert.True(await observer.MoveNextAsync().AsTask().WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken));
        Assert.Equal("cs-2", observer.Current.ValueText);

        await election.ProclaimAsync("cs-3", TestContext.Current.CancellationToken);
        Assert.True(await observer.MoveNextAsync().AsTask().WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken));
        Assert.Equal("cs-3", observer.Current.ValueText);
        await stop.CancelAsync();
    }

    [Fact]
    public async Task Etcdctl_lock_and_csharp_mutex_exclude_each_other()
    {
        EtcdctlProcess.Require();
        var name = UniqueName("lock");
        await using var session = await Session.CreateAsync(Invoker, TimeSpan.FromSeconds(10), Time, cancellationToken: TestContext.Current.CancellationToken);
        var mutex = new EtcdMutex(session, name);

        await using (var go = EtcdctlProcess.Start(ClientUrl, "lock", name))
        {
            var goKey = await go.NextLineAsync();
            Assert.StartsWith(name + "/", goKey, StringComparison.Ordinal);
            var locking = mutex.LockAsync(TestContext.Current.CancellationToken);
            await WaitForCandidatesAsync(name, 2);
            Assert.False(locking.IsCompleted);
            await go.InterruptAsync();
            await locking.WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken);
        }

        Assert.Equal(Keys(name, session.LeaseId), mutex.Key);
        await using (var go = EtcdctlProcess.Start(ClientUrl, "lock", name, "echo", "go-has-it"))
        {
            await WaitForCandidatesAsync(name, 2);
            Assert.False(go.HasExited);
            await mutex.UnlockAsync(TestContext.Current.CancellationToken);
            await go.WaitForExitAsync();
            Assert.Equal(0, go.ExitCode);
            Assert.Contains("go-has-it", go.Output, StringComparison.Ordinal);
        }
    }

    private static string Keys(string name, long lease) => $"{name}/{lease:x}";

    /// <summary>Bounded wall-clock wait until <paramref name="count"/> keys are queued under the prefix.</summary>
    private async Task WaitForCandidatesAsync(string name, int count)
    {
        using var client = new EtcdClient(Invoker);
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        while ((await client.GetRangeAsync(name + "/", cancellationToken: TestContext.Current.CancellationToken)).Count < count)
        {
            Assert.True(clock.GetElapsedTime(started) < SessionWaits.RealTimeLimit, $"fewer than {count} candidates under {name}/");
            await Task.Delay(TimeSpan.FromMilliseconds(5), clock, TestContext.Current.CancellationToken);
        }
    }
}

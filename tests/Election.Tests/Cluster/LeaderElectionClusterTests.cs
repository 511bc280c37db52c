using dotnet_etcd;
using Election.Tests.Support;

namespace Election.Tests.Cluster;

/// <summary>LeaderElection (clientv3/concurrency semantics) on a real 3-member etcd cluster whose raft leader is SIGKILLed.</summary>
public sealed class LeaderElectionClusterTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Waiting_candidate_leads_only_after_the_crashed_leaders_lease_ends_across_an_etcd_leader_kill()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await EtcdCluster.StartAsync(ct);
        using var channel1 = cluster.CreateChannel();
        using var channel2 = cluster.CreateChannel();
        using var operatorChannel = cluster.CreateChannel();
        var etcd = new EtcdClient(operatorChannel.CreateCallInvoker());
        var crashable = new CrashableInvoker(channel1.CreateCallInvoker());
        var s1 = await Session.CreateAsync(crashable.Invoker, Ttl, TimeProvider.System, cancellationToken: ct);
        await using var s2 = await Session.CreateAsync(channel2.CreateCallInvoker(), Ttl, TimeProvider.System, cancellationToken: ct);
        var e1 = new LeaderElection(s1, "cluster-svc");
        var e2 = new LeaderElection(s2, "cluster-svc");

        await e1.CampaignAsync("one", ct);
        var oneLeads = (await e2.LeaderAsync(ct)).ValueText;
        var s1TtlWhenTwoLeads = Task.FromResult(0L);
        var second = e2.CampaignAsync("two", ct).ContinueWith(
            t =>
            {
                t.GetAwaiter().GetResult();
                s1TtlWhenTwoLeads = TakeoverProbe.LeaseTtlAsync(etcd, s1.LeaseId, ct);
            },
            ct,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        crashable.Crash();
        await s1.OrphanAsync();
        var oldLeader = await cluster.LeaderIndexAsync(ct);
        await cluster.KillAsync(oldLeader);
        var pending = second.IsCompleted;
        await second.WaitAsync(Limit, ct);
        var s1Ttl = await s1TtlWhenTwoLeads;
        var leader = await e2.LeaderAsync(ct);
        var newLeader = await cluster.LeaderIndexAsync(ct);
        var now = (await etcd.GetAsync("cluster-svc/", cancellationToken: ct)).Header.Revision;
        var history = await KeyHistory.ReadAsync(operatorChannel.CreateCallInvoker(), "cluster-svc/", e1.Revision, now, prefix: true, ct);

        Assert.Equal("one", oneLeads);
        Assert.False(pending);
        Assert.Equal(-1, s1Ttl);
        Assert.Equal("two", leader.ValueText);

        // One's key, two's key queued behind it, then one's key deleted when its lease ended; nothing else.
        Assert.Equal(
            [(e1.Key, false, s1.LeaseId), (e2.Key, false, s2.LeaseId), (e1.Key, true, 0L)],
            history.Select(e => (e.Key, e.IsDelete, e.Lease)));
        Assert.True(e2.Revision > e1.Revision);
        Assert.NotEqual(oldLeader, newLeader);
    }
}

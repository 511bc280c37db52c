using Election.Tests.Support;

namespace Election.Tests.Real;

/// <summary>
/// The core active-standby scenarios on a real etcd with short TTLs, on the wall clock. Waits are
/// bounded; nothing asserts on timing, only on outcomes.
/// </summary>
public sealed class ActiveStandbyRealEtcdTests(RealEtcdFixture etcd) : IClassFixture<RealEtcdFixture>
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Single_candidate_becomes_active_with_both_keys_on_one_lease()
    {
        var root = etcd.UniqueRoot("single");
        await using var a = await Candidate.StartAsync(etcd.Invoker, root, "rootcoord", Ttl, TimeProvider.System);
        await a.Activated.WaitAsync(SessionWaits.RealTimeLimit, TestContext.Current.CancellationToken);

        Assert.Equal(SessionState.Active, a.Session.State);
        Assert.Equal(1, a.Session.ServerId);
        using var client = new dotnet_etcd.EtcdClient(etcd.Invoker);
        var active = (await client.GetAsync($"{root}/session/rootcoord", cancellationToken: TestContext.Current.CancellationToken)).Kvs.Single();
        var own = (await client.GetAsync($"{root}/session/rootcoord-1", cancellationToken: TestContext.Current.CancellationToken)).Kvs.Single();
        Assert.Equal(a.Session.LeaseId, active.Lease);
        Assert.Equal(a.Session.LeaseId, own.Lease);
        Assert.Equal(a.Session.Epoch, active.CreateRevision);
        Assert.Contains("\"ServerID\":1", active.Value.ToStringUtf8(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graceful_stop_hands_over_to_the_standby()
    {
        var root = etcd.UniqueRoot("stop");
        await using var a = await Candidate.StartAsync(etcd.Invoker, root, "rootcoord", Ttl, TimeProvider.System);
        await a.Activated.WaitAsync(SessionWaits.RealTimeLimit, TestContext.Current.CancellationToken);
        await using var b = await Candidate.StartAsync(etcd.Invoker, root, "rootcoord", Ttl, TimeProvider.System);
        await WaitForLogAsync(b.Log, "start to watch ACTIVE key");

        await a.Session.StopAsync();
        await b.Activated.WaitAsync(SessionWaits.RealTimeLimit, TestContext.Current.CancellationToken);

        Assert.Equal(SessionState.Stopped, a.Session.State);
        Assert.Equal(SessionState.Active, b.Session.State);
        Assert.True(b.Session.Epoch > a.Session.Epoch);
    }

    [Fact]
    public async Task Crashed_active_is_replaced_when_its_lease_expires()
    {
        var root = etcd.UniqueRoot("crash");
        await using var a = await Candidate.StartAsync(etcd.Invoker, root, "rootcoord", Ttl, TimeProvider.System);
        await a.Activated.WaitAsync(SessionWaits.RealTimeLimit, TestContext.Current.CancellationToken);
        await using var b = await Candidate.StartAsync(etcd.Invoker, root, "rootcoord", Ttl, TimeProvider.System);
        await WaitForLogAsync(b.Log, "start to watch ACTIVE key");

        await a.CrashAsync();
        using var client = new dotnet_etcd.EtcdClient(etcd.Invoker);
        var aliveAfterCrash = await client.LeaseTimeToLiveAsync(new Etcdserverpb.LeaseTimeToLiveRequest { ID = a.Session.LeaseId }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(SessionState.Standby, b.Session.State);
        await b.Activated.WaitAsync(SessionWaits.RealTimeLimit, TestContext.Current.CancellationToken);

        Assert.Equal(SessionState.Active, b.Session.State);
        Assert.Equal(1, b.Activations);
        Assert.True(aliveAfterCrash.TTL > 0, $"A's lease must outlive the crash; it had {aliveAfterCrash.TTL} s left");
        var gone = await client.LeaseTimeToLiveAsync(new Etcdserverpb.LeaseTimeToLiveRequest { ID = a.Session.LeaseId }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(-1, gone.TTL);

        // B waited for A's lease: both of A's keys went in one revision (the lease's end, as no
        // client deletes them), and only after that did B's ACTIVE key appear.
        var history = await KeyHistory.ReadAsync(etcd.Invoker, $"{root}/session/", 1, b.Session.Epoch, prefix: true, TestContext.Current.CancellationToken);
        var aKeys = history.Where(e => e.Lease == a.Session.LeaseId && !e.IsDelete).Select(e => e.Key).ToHashSet();
        var aEnd = history.Where(e => e.IsDelete && aKeys.Contains(e.Key)).ToList();
        Assert.Equal([$"{root}/session/rootcoord", $"{root}/session/rootcoord-1"], aKeys.Order(StringComparer.Ordinal));
        Assert.Equal(2, aEnd.Count);
        Assert.Single(aEnd.Select(e => e.Revision).Distinct());
        var bActive = history.Single(e => e.Key == $"{root}/session/rootcoord" && !e.IsDelete && e.Lease == b.Session.LeaseId);
        Assert.Equal(b.Session.Epoch, bActive.Revision);
        Assert.True(aEnd[0].Revision < bActive.Revision, $"A's keys ended at revision {aEnd[0].Revision}, B became active at {bActive.Revision}");
    }

    [Fact]
    public async Task Three_candidates_fail_over_one_at_a_time()
    {
        var root = etcd.UniqueRoot("three");
        await using var a = await Candidate.StartAsync(etcd.Invoker, root, "datacoord", Ttl, TimeProvider.System);
        await a.Activated.WaitAsync(SessionWaits.RealTimeLimit, TestContext.Current.CancellationToken);
        await using var b = await Candidate.StartAsync(etcd.Invoker, root, "datacoord", Ttl, TimeProvider.System);
        await using var c = await Candidate.StartAsync(etcd.Invoker, root, "datacoord", Ttl, TimeProvider.System);
        await WaitForLogAsync(b.Log, "start to watch ACTIVE key");
        await WaitForLogAsync(c.Log, "start to watch ACTIVE key");

        await a.CrashAsync();
        var second = await Task.WhenAny(b.Activated, c.Activated).WaitAsync(SessionWaits.RealTimeLimit, TestContext.Current.CancellationToken);
        var (winner, other) = second == b.Activated ? (b, c) : (c, b);
        Assert.Equal(SessionState.Active, winner.Session.State);
        Assert.Equal(SessionState.Standby, other.Session.State);

        await winner.Session.StopAsync();
        await other.Activated.WaitAsync(SessionWaits.RealTimeLimit, TestContext.Current.CancellationToken);
        Assert.Equal(1, a.Activations + b.Activations + c.Activations - 2);
    }

    private static async Task WaitForLogAsync(ListLogger log, string fragment)
    {
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        while (log.Count(fragment) == 0)
        {
            Assert.True(clock.GetElapsedTime(started) < SessionWaits.RealTimeLimit, $"no log line with '{fragment}'");
            await Task.Delay(TimeSpan.FromMilliseconds(5), clock, TestContext.Current.CancellationToken);
        }
    }
}

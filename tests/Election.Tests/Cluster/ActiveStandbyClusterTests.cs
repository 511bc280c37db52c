using dotnet_etcd;
using Election.Tests.Support;
using Etcdserverpb;

namespace Election.Tests.Cluster;

/// <summary>
/// Active-standby on a real 3-member etcd cluster, with the etcd leader SIGKILLed mid-scenario. Each
/// candidate talks to the cluster through its own channel balanced over all three members. The
/// safety check is exact: when the standby's activation runs, the old active's lease must already be
/// gone in etcd (so two actives never overlap), whatever the raft leader did in between.
/// </summary>
public sealed class ActiveStandbyClusterTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Crashed_active_is_replaced_after_its_lease_ends_even_when_the_etcd_leader_dies_during_the_failover()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pair = await ActiveAndStandby.StartAsync("crash", ct);
        var (cluster, etcd, a, b, takeover) = (pair.Cluster, pair.Etcd, pair.A, pair.B, pair.Takeover);

        await a.CrashAsync();
        var oldLeader = await cluster.LeaderIndexAsync(ct);
        await cluster.KillAsync(oldLeader);
        var pending = b.Session.State;
        await b.Activated.WaitAsync(Limit, ct);
        var newLeader = await cluster.LeaderIndexAsync(ct);
        var seen = await takeover.WaitAsync(Limit, ct);
        var history = await KeyHistory.ReadAsync(pair.OperatorChannel.CreateCallInvoker(), "crash/session/rootcoord", a.Session.Epoch, b.Session.Epoch, prefix: false, ct);

        Assert.Equal(SessionState.Standby, pending);
        Assert.NotEqual(oldLeader, newLeader);
        Assert.Equal((SessionState.Stopped, -1L), (seen.OtherState, seen.OtherLeaseTtl));
        Assert.Equal(SessionState.Active, b.Session.State);

        // The ACTIVE key's history: A's put, the delete when A's lease ended, then B's put, nothing else.
        Assert.Equal(
            [(a.Session.Epoch, false, a.Session.LeaseId), (b.Session.Epoch, false, b.Session.LeaseId)],
            history.Where(e => !e.IsDelete).Select(e => (e.Revision, e.IsDelete, e.Lease)));
        Assert.Equal([false, true, false], history.Select(e => e.IsDelete));
        Assert.Equal((1, 1), (a.Activations, b.Activations));
    }

    [Fact]
    public async Task Active_keeps_its_role_across_an_etcd_leader_kill_and_hands_over_when_stopped()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pair = await ActiveAndStandby.StartAsync("keep", ct);
        var (cluster, etcd, a, b, takeover) = (pair.Cluster, pair.Etcd, pair.A, pair.B, pair.Takeover);

        var oldLeader = await cluster.LeaderIndexAsync(ct);
        await cluster.KillAsync(oldLeader);
        await cluster.LeaderIndexAsync(ct);

        // Longer than a TTL on the wall clock: A's keepalives must have gone through the new leader.
        await Task.Delay(Ttl + TimeSpan.FromSeconds(2), TimeProvider.System, ct);
        var aLease = await etcd.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = a.Session.LeaseId }, cancellationToken: ct);
        var statesAfterKill = (a.Session.State, b.Session.State);

        await a.Session.StopAsync();
        await b.Activated.WaitAsync(Limit, ct);
        var seen = await takeover.WaitAsync(Limit, ct);

        Assert.Equal((SessionState.Active, SessionState.Standby), statesAfterKill);
        Assert.True(aLease.TTL > 0, $"A's lease has TTL {aLease.TTL}");
        Assert.Equal((SessionState.Stopped, -1L), (seen.OtherState, seen.OtherLeaseTtl));
        Assert.Equal(SessionState.Active, b.Session.State);
        Assert.Equal((1, 1), (a.Activations, b.Activations));
    }

    /// <summary>
    /// The cluster both tests start from: A active, B standing by and watching the ACTIVE key, each on
    /// its own channel balanced over the three members, and an operator channel for reading etcd.
    /// </summary>
    private sealed class ActiveAndStandby : IAsyncDisposable
    {
        private readonly List<IDisposable> _channels = [];

        private ActiveAndStandby(EtcdCluster cluster) => Cluster = cluster;

        public EtcdCluster Cluster { get; }

        public Grpc.Net.Client.GrpcChannel OperatorChannel { get; private set; } = null!;

        public EtcdClient Etcd { get; private set; } = null!;

        public Candidate A { get; private set; } = null!;

        public Candidate B { get; private set; } = null!;

        public Task<TakeoverProbe> Takeover { get; private set; } = null!;

        public static async Task<ActiveAndStandby> StartAsync(string root, CancellationToken ct)
        {
            var pair = new ActiveAndStandby(await EtcdCluster.StartAsync(ct));
            try
            {
                pair.OperatorChannel = pair.Channel();
                pair.Etcd = new EtcdClient(pair.OperatorChannel.CreateCallInvoker());
                pair.A = await Candidate.StartAsync(pair.Channel().CreateCallInvoker(), root, "rootcoord", Ttl, TimeProvider.System);
                await pair.A.Activated.WaitAsync(Limit, ct);
                pair.B = await Candidate.StartAsync(pair.Channel().CreateCallInvoker(), root, "rootcoord", Ttl, TimeProvider.System);
                pair.Takeover = TakeoverProbe.Attach(pair.B, pair.A, pair.Etcd);
                await WaitForLogAsync(pair.B.Log, "start to watch ACTIVE key");
                return pair;
            }
            catch
            {
                await pair.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var candidate in new[] { B, A })
            {
                if (candidate is not null)
                {
                    await candidate.DisposeAsync();
                }
            }

            _channels.ForEach(c => c.Dispose());
            await Cluster.DisposeAsync();
        }

        private Grpc.Net.Client.GrpcChannel Channel()
        {
            var channel = Cluster.CreateChannel();
            _channels.Add(channel);
            return channel;
        }
    }

    private static async Task WaitForLogAsync(ListLogger log, string fragment)
    {
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        while (log.Count(fragment) == 0)
        {
            Assert.True(clock.GetElapsedTime(started) < Limit, $"no log line with '{fragment}'");
            await Task.Delay(TimeSpan.FromMilliseconds(5), clock, TestContext.Current.CancellationToken);
        }
    }
}

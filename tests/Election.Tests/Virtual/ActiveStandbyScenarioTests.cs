using System.Globalization;
using Election.Tests.Support;
using Google.Protobuf;

namespace Election.Tests.Virtual;

/// <summary>The scenario table of milvus-active-standby.md §8, in virtual time (T = 30 s unless stated).</summary>
public sealed class ActiveStandbyScenarioTests
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task S1_fifty_concurrent_sessions_get_ids_1_to_50()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var starting = Enumerable.Range(0, 50).Select(_ => etcd.StartCandidateAsync("querynode", T, process: false)).ToList();
        var candidates = await Task.WhenAll(starting);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), candidates.Select(c => c.Session.ServerId).Order());
        var id = await etcd.Operator.GetValAsync("by-dev/meta/session/id", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("51", id);
        foreach (var c in candidates)
        {
            await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task S2_single_candidate_registers_both_keys_on_one_lease_and_activates_once()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var changes = new List<SessionState>();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T, process: false);
        a.Session.StateChanged += (_, c) => changes.Add(c.Current);
        a.StartProcessing();
        await etcd.SettleAsync();

        Assert.Equal([SessionState.Active], changes);
        Assert.Equal(1, a.Activations);
        Assert.Equal(1, a.Log.Count("enter STANDBY mode"));
        Assert.Equal(1, a.Log.Count("quit STANDBY mode"));
        var keys = await etcd.Operator.GetRangeAsync("by-dev/meta/session/rootcoord", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["by-dev/meta/session/rootcoord", "by-dev/meta/session/rootcoord-1"], keys.Kvs.Select(k => k.Key.ToStringUtf8()));
        Assert.All(keys.Kvs, k => Assert.Equal(a.Session.LeaseId, k.Lease));
        Assert.Equal(a.Session.Epoch, keys.Kvs[0].CreateRevision);
    }

    [Fact]
    public async Task S3_two_candidates_one_wins_and_healthy_keepalives_never_hand_over()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        Assert.Equal(1, b.Log.Count("has already been registered"));

        await etcd.AdvanceAsync(5 * T);
        Assert.Equal((SessionState.Active, SessionState.Standby), (a.Session.State, b.Session.State));
        Assert.Equal((1, 0), (a.Activations, b.Activations));
        Assert.Equal(1, b.Log.Count("try to register as ACTIVE"));
    }

    [Fact]
    public async Task S4_graceful_stop_hands_over_in_the_same_instant()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(7));

        var revision = etcd.Server.Revision;
        await a.Session.StopAsync();
        await etcd.SettleAsync();

        Assert.Equal(SessionState.Stopped, a.Session.State);
        Assert.Equal(SessionState.Active, b.Session.State);
        Assert.Equal(TimeSpan.FromSeconds(7), await b.Activated - FakeEtcd.VirtualClock.DefaultStart);
        // The revoke deleted both of a's keys in one revision; b's CAS is the next one.
        Assert.Equal(revision + 2, b.Session.Epoch);
        Assert.Equal(0, a.Log.Count("lost session"));
    }

    [Fact]
    public async Task S5_crash_takeover_between_two_thirds_T_and_T_after_the_crash()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(25)); // last keepalive received at 20 s
        await a.CrashAsync();
        await etcd.AdvanceAsync(2 * T);

        var takeover = await b.Activated - FakeEtcd.VirtualClock.DefaultStart - TimeSpan.FromSeconds(25);
        Assert.InRange(takeover, 2 * T / 3 - TimeSpan.FromSeconds(10), T);
        Assert.Equal(TimeSpan.FromSeconds(50), await b.Activated - FakeEtcd.VirtualClock.DefaultStart);
    }

    [Fact]
    public async Task S6_three_candidates_exactly_one_standby_takes_over()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await using var c = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await a.CrashAsync();
        await etcd.AdvanceAsync(T);

        Assert.Equal(1, b.Activations + c.Activations);
        var loser = b.Activations == 1 ? c : b;
        Assert.Equal(SessionState.Standby, loser.Session.State);
        Assert.Equal(2, loser.Log.Count("has already been registered"));

        // Graceful stop of the new active: the last standby takes over.
        var winner = b.Activations == 1 ? b : c;
        await winner.Session.StopAsync();
        await etcd.SettleAsync();
        Assert.Equal(1, loser.Activations);
    }

    [Fact]
    public async Task S7_going_stop_put_wakes_standbys_but_nobody_activates()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();

        await etcd.Operator.PutAsync(
            new Etcdserverpb.PutRequest
            {
                Key = ByteString.CopyFromUtf8(a.Session.ActiveKey),
                Value = ByteString.CopyFromUtf8("{\"ServerID\":1,\"Stopping\":true}"),
                Lease = a.Session.LeaseId,
            },
            cancellationToken: TestContext.Current.CancellationToken);
        await etcd.SettleAsync();

        Assert.Equal(2, b.Log.Count("try to register as ACTIVE"));
        Assert.Equal(SessionState.Standby, b.Session.State);
        Assert.Equal(SessionState.Active, a.Session.State);
    }

    [Fact]
    public async Task S8_delete_between_failed_cas_and_watch_creation_is_not_missed()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T, process: false);
        var stopped = false;
        b.Invoker.BeforeWatch = () =>
        {
            if (!stopped)
            {
                stopped = true;
                a.Session.StopAsync().GetAwaiter().GetResult(); // revoke lands before b's watch exists
            }
        };
        var before = etcd.Now;
        b.StartProcessing();

        // No virtual time passes: the standby must see the DELETE that landed before its watch existed.
        await b.Session.WaitForStateAsync(SessionState.Active);
        Assert.True(stopped);
        Assert.Equal(before, etcd.Now);
    }

    [Fact]
    public async Task S9_compacted_watch_revision_retries_the_cas_and_rewatches()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T, process: false);
        var compacted = false;
        b.Invoker.BeforeWatch = () =>
        {
            if (!compacted)
            {
                compacted = true;
                etcd.Operator.Put("other", "x");
                var put = etcd.Operator.Put("other", "y");
                etcd.Operator.Compact(new Etcdserverpb.CompactionRequest { Revision = put.Header.Revision });
            }
        };
        b.StartProcessing();

        // The compaction cancel makes the standby retry its CAS (fails again) and watch anew.
        await SessionWaits.UntilAsync(() => b.Log.Count("start to watch") == 2, "the standby watches a second time");
        Assert.Contains(b.Log.Entries, e => e.Message == "stop watching ACTIVE key by-dev/meta/session/rootcoord"
            && Convert.ToString(e["reason"], CultureInfo.InvariantCulture)!.StartsWith("compacted at", StringComparison.Ordinal));
        Assert.Equal(2, b.Log.Count("has already been registered"));
        Assert.Equal(SessionState.Standby, b.Session.State);

        await a.Session.StopAsync();
        await b.Session.WaitForStateAsync(SessionState.Active);
    }

    [Fact]
    public async Task S10_operator_deletes_the_active_key()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(3));

        await etcd.Operator.DeleteAsync(a.Session.ActiveKey, cancellationToken: TestContext.Current.CancellationToken);
        await etcd.SettleAsync();

        Assert.Equal(SessionState.Lost, a.Session.State);
        Assert.Equal(SessionLossReason.ActiveKeyDeleted, a.Session.LossReason);
        Assert.Equal(SessionState.Active, b.Session.State);
        Assert.Equal(TimeSpan.FromSeconds(3), await b.Activated - FakeEtcd.VirtualClock.DefaultStart);
        // a revoked its lease on the way out, so its per-server key is gone too.
        Assert.Equal(0, (await etcd.Operator.GetAsync(a.Session.ServerKey, cancellationToken: TestContext.Current.CancellationToken)).Count);
        Assert.Equal(1, a.Log.Count("lost session"));
    }

    [Fact]
    public async Task S22_standby_logs_every_10_seconds_and_stops_after_activation()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(100));
        Assert.Equal(10, b.Log.Count("is in STANDBY"));
        Assert.Equal(0, a.Log.Count("is in STANDBY"));

        await a.Session.StopAsync();
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(100));
        Assert.Equal(10, b.Log.Count("is in STANDBY"));
        var line = b.Log.Entries.First(e => e.Message.Contains("is in STANDBY", StringComparison.Ordinal));
        Assert.Equal("serverName: rootcoord is in STANDBY ...", line.Message);
        Assert.Equal("rootcoord", line["ServerName"]);

        // Milvus's text names no ServerID; the session's scope carries it, for filtering per process.
        Assert.Contains(b.Log.Scopes, scope => scope.Any(p => p.Key == "ServerID" && Equals(p.Value, b.Session.ServerId)));
    }
}

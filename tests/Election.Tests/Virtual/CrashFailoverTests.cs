using Election.Tests.Support;

namespace Election.Tests.Virtual;

/// <summary>
/// Issue point 4: two coordinators with a 60 s TTL on FakeEtcd's virtual clock; the active crashes
/// (its channel dies, nothing is revoked) and the standby takes over at the exact virtual instant the
/// crashed active's lease expires: TTL after the last keepalive the server received.
/// </summary>
public sealed class CrashFailoverTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    /// <summary>Repeats: 20 by default, <c>ELECTION_FAILOVER_RUNS=200</c> for the full determinism check.</summary>
    public static TheoryData<int> Runs => [.. Enumerable.Range(1, int.TryParse(Environment.GetEnvironmentVariable("ELECTION_FAILOVER_RUNS"), out var n) ? n : 20)];

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task Standby_becomes_active_exactly_when_the_crashed_actives_lease_expires(int run)
    {
        _ = run;
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", Ttl);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", Ttl);
        await etcd.SettleAsync();
        Assert.Equal((SessionState.Active, SessionState.Standby), (a.Session.State, b.Session.State));

        // Keepalives every TTL/3: the server renews a's lease at 20 s; a dies at 30 s.
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(30));
        await a.CrashAsync();
        var lastKeepAlive = TimeSpan.FromSeconds(20);

        await etcd.AdvanceToAsync(lastKeepAlive + Ttl - Tick);
        Assert.Equal(SessionState.Standby, b.Session.State);
        Assert.False(b.Activated.IsCompleted, "the standby must not activate before the lease expires");

        await etcd.AdvanceAsync(Tick);
        Assert.Equal(SessionState.Active, b.Session.State);
        Assert.True(b.Activated.IsCompleted, "the standby must activate in the same instant the lease expires");
        Assert.Equal(lastKeepAlive + Ttl, await b.Activated - VirtualClockStart);
        Assert.Equal(1, b.Activations);
        Assert.Equal(1, a.Activations);
        Assert.True(b.Session.Epoch > a.Session.Epoch);
    }

    private static DateTimeOffset VirtualClockStart => FakeEtcd.VirtualClock.DefaultStart;
}

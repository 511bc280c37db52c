using FakeEtcd.Simulation.Faults;
using FakeEtcd.Simulation.History;
using FakeEtcd.Simulation.Invariants;
using static Election.Tests.Simulation.HandWritten;

namespace Election.Tests.Simulation;

/// <summary>
/// Issue 7.5: the failover check on hand-written histories — a standby takes over exactly when the
/// active's lease is due (TTL after its last keepalive), later only as far as faults on it push it.
/// </summary>
public sealed class FailoverCheckTests
{
    private static readonly FailoverBound Bound = new() { Round = TimeSpan.Zero, Retry = TimeSpan.FromSeconds(1) };

    [Fact]
    public void Takeover_at_the_lease_deadline_passes()
    {
        Assert.Empty(HistoryChecks.FailoverWithin(Crash(takeoverAt: 80), Bound));
    }

    [Fact]
    public void Takeover_one_millisecond_late_is_a_violation()
    {
        var violation = Assert.Single(HistoryChecks.FailoverWithin(Crash(takeoverAt: 80.001), Bound));
        Assert.Equal(
            "FailoverWithin at #4: rootcoord: lease a1 of c1 ended at t=80.000s but no standby took over (c2 by t=80.000s); next activation c2 at t=80.001s",
            violation.ToString());
    }

    [Fact]
    public void A_partition_of_the_standby_pushes_its_deadline_to_the_heal_plus_one_retry()
    {
        var partition = new Fault { Kind = FaultKind.Partition, Client = "c2", At = TimeSpan.FromSeconds(70), Duration = TimeSpan.FromSeconds(15) };
        HistoryEntry[] faults = [Fault(HistoryKind.FaultStarted, 70, partition), Fault(HistoryKind.FaultHealed, 85, partition)];

        Assert.Empty(HistoryChecks.FailoverWithin(Crash(takeoverAt: 86, extra: faults), Bound));
        Assert.Equal(
            "rootcoord: lease a1 of c1 ended at t=80.000s but no standby took over (c2 by t=86.000s (Partition(Fail) on c2 at t=70.000s for 15s -> t=86.000s)); next activation c2 at t=86.500s",
            Assert.Single(HistoryChecks.FailoverWithin(Crash(takeoverAt: 86.5, extra: faults), Bound)).Message);
    }

    [Fact]
    public void A_fault_on_another_client_does_not_excuse_the_standby()
    {
        var partition = new Fault { Kind = FaultKind.Partition, Client = "c1", At = TimeSpan.FromSeconds(30) };
        HistoryEntry[] faults = [Fault(HistoryKind.FaultStarted, 30, partition)];

        Assert.Single(HistoryChecks.FailoverWithin(Crash(takeoverAt: 81, extra: faults), Bound));
    }

    [Fact]
    public void A_failed_request_costs_the_standby_one_retry()
    {
        HistoryEntry[] failed = [Entry(70, "c2", HistoryKind.FaultApplied) with { Detail = "Txn Unavailable etcdserver: request timed out" }];

        Assert.Empty(HistoryChecks.FailoverWithin(Crash(takeoverAt: 80, extra: failed), Bound));
        Assert.Empty(HistoryChecks.FailoverWithin(Crash(takeoverAt: 81, extra: [failed[0] with { At = TimeSpan.FromSeconds(80) }]), Bound));
        Assert.Single(HistoryChecks.FailoverWithin(Crash(takeoverAt: 81, extra: [failed[0] with { At = TimeSpan.FromSeconds(78) }]), Bound));
    }

    [Fact]
    public void A_lease_that_expires_off_its_deadline_is_a_violation()
    {
        var history = Crash(takeoverAt: 81, expiredAt: 81);

        Assert.Equal(
            ["FailoverWithin at #4: rootcoord: lease a1 of c1 expired at t=81.000s, due at t=80.000s (last keepalive at t=20.000s + ttl 60s)",
             "FailoverWithin at #4: rootcoord: lease a1 of c1 ended at t=80.000s but no standby took over (c2 by t=80.000s); next activation c2 at t=81.000s"],
            HistoryChecks.FailoverWithin(history, Bound).Select(v => v.ToString()));
    }

    [Fact]
    public void A_leader_change_extends_the_lease_by_ttl_plus_the_election_timeout()
    {
        var change = new Fault { Kind = FaultKind.LeaderChange, At = TimeSpan.FromSeconds(50) };

        Assert.Empty(HistoryChecks.FailoverWithin(Crash(takeoverAt: 111, expiredAt: 111, extra: [Fault(HistoryKind.FaultStarted, 50, change)]), Bound));
    }

    /// <summary>c1 is active on lease a1 (ttl 60, last keepalive at 20 s), c2 stands by; the lease expires and c2 takes over.</summary>
    private static List<HistoryEntry> Crash(double takeoverAt, double expiredAt = 80, HistoryEntry[]? extra = null)
    {
        List<HistoryEntry> history =
        [
            Entry(0, "c1", HistoryKind.LeaseGranted) with { LeaseId = 0xa1, Detail = "ttl=60" },
            Entry(0, "c1", HistoryKind.Note) with { LeaseId = 0xa1, Key = "rootcoord", Detail = SessionNotes.Active },
            Entry(0, "c2", HistoryKind.Note) with { LeaseId = 0xb2, Key = "rootcoord", Detail = SessionNotes.Standby },
            Entry(20, "c1", HistoryKind.KeepAlive) with { LeaseId = 0xa1, Detail = "ttl=60" },
            Entry(expiredAt, "server", HistoryKind.LeaseExpired) with { LeaseId = 0xa1 },
            Entry(takeoverAt, "c2", HistoryKind.Note) with { LeaseId = 0xb2, Key = "rootcoord", Detail = SessionNotes.Active },
        ];
        history.AddRange(extra ?? []);
        return HandWritten.InOrder(history.OrderBy(e => e.At));
    }
}

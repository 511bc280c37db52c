using FakeEtcd.Simulation.Faults;
using FakeEtcd.Simulation.History;
using FakeEtcd.Simulation.Invariants;
using static Election.Tests.Simulation.HandWritten;

namespace Election.Tests.Simulation;

/// <summary>
/// Issue 23.1: the single-active and step-down checks on hand-written histories. c1 holds the role on
/// lease a1 (TTL 60 s, last keepalive at 20 s: due at 80 s), c2 stands by on b2.
/// </summary>
public sealed class SingleActiveCheckTests
{
    [Fact]
    public void A_handover_at_the_lease_end_with_the_old_active_stepping_down_at_its_deadline_passes()
    {
        var history = Active(Expired(80), Note(80, "c2", 0xb2, SessionNotes.Active), Note(80, "c1", 0xa1, SessionNotes.Ended));

        Assert.Empty(HistoryChecks.SingleActive(history));
        Assert.Empty(HistoryChecks.ActivesStepDownByTheirDeadline(history));
    }

    [Fact]
    public void A_graceful_stop_then_revoke_then_takeover_passes()
    {
        var history = Active(
            Note(50, "c1", 0xa1, SessionNotes.Ended),
            Entry(50, "c1", HistoryKind.LeaseRevoked) with { LeaseId = 0xa1 },
            Note(50, "c2", 0xb2, SessionNotes.Active));

        Assert.Empty(HistoryChecks.SingleActive(history));
        Assert.Empty(HistoryChecks.ActivesStepDownByTheirDeadline(history));
    }

    [Fact]
    public void An_active_that_goes_on_believing_after_its_lease_expired_is_caught_by_both_checks()
    {
        var history = Active(Expired(80), Note(80, "c2", 0xb2, SessionNotes.Active), Entry(90, "c2", HistoryKind.KeepAlive) with { LeaseId = 0xb2, Detail = "ttl=60" });

        Assert.Equal(
            "SingleActive at #7: c2 became active for rootcoord at t=80.000s while c1 (active since t=0.000s, lease a1) still held it",
            Assert.Single(HistoryChecks.SingleActive(history)).ToString());
        Assert.Equal(
            "ActivesStepDownByTheirDeadline at #1: c1 still believed it was active for rootcoord at t=90.000s, past its lease a1's deadline t=80.000s (last keepalive at t=20.000s + ttl 60s)",
            Assert.Single(HistoryChecks.ActivesStepDownByTheirDeadline(history)).ToString());
    }

    [Fact]
    public void A_step_down_after_the_deadline_is_caught_by_both_checks()
    {
        var history = Active(Expired(80), Note(80, "c2", 0xb2, SessionNotes.Active), Note(80.001, "c1", 0xa1, SessionNotes.Ended));

        Assert.Single(HistoryChecks.SingleActive(history));
        Assert.Equal(
            "ActivesStepDownByTheirDeadline at #8: c1 stepped down as active for rootcoord at t=80.001s, after its lease a1 was due at t=80.000s (last keepalive at t=20.000s + ttl 60s)",
            Assert.Single(HistoryChecks.ActivesStepDownByTheirDeadline(history)).ToString());
    }

    [Fact]
    public void A_takeover_at_the_step_down_instant_without_the_server_ending_the_lease_is_two_actives()
    {
        // c2 became active before c1 stepped down, and nothing had fenced c1: same instant, but not a handover.
        var history = Active(Note(50, "c2", 0xb2, SessionNotes.Active), Note(50, "c1", 0xa1, SessionNotes.Ended));

        Assert.Equal(
            "SingleActive at #6: c2 became active for rootcoord at t=50.000s while c1 (active since t=0.000s, lease a1) still held it",
            Assert.Single(HistoryChecks.SingleActive(history)).ToString());
    }

    [Fact]
    public void Two_sessions_active_with_no_lease_ending_is_two_actives()
    {
        var history = Active(Note(50, "c2", 0xb2, SessionNotes.Active));

        Assert.Single(HistoryChecks.SingleActive(history));
    }

    [Fact]
    public void A_leader_change_extends_the_servers_lease_but_not_the_deadline_the_active_knows()
    {
        var change = new Fault { Kind = FaultKind.LeaderChange, At = TimeSpan.FromSeconds(50) };
        var history = Active(Fault(HistoryKind.FaultStarted, 50, change), Note(81, "c1", 0xa1, SessionNotes.Ended));

        Assert.Equal(
            "c1 stepped down as active for rootcoord at t=81.000s, after its lease a1 was due at t=80.000s (last keepalive at t=20.000s + ttl 60s)",
            Assert.Single(HistoryChecks.ActivesStepDownByTheirDeadline(history)).Message);
        Assert.Empty(HistoryChecks.ActivesStepDownByTheirDeadline(Active(Fault(HistoryKind.FaultStarted, 50, change), Note(80, "c1", 0xa1, SessionNotes.Ended))));
    }

    /// <summary>c1 granted a1 and active at 0 s, c2 standing by, c1's keepalive at 20 s and c2's at 40 s; then <paramref name="then"/>.</summary>
    private static List<HistoryEntry> Active(params HistoryEntry[] then) => InOrder(
    [
        Entry(0, "c1", HistoryKind.LeaseGranted) with { LeaseId = 0xa1, Detail = "ttl=60" },
        Note(0, "c1", 0xa1, SessionNotes.Active),
        Entry(0, "c2", HistoryKind.LeaseGranted) with { LeaseId = 0xb2, Detail = "ttl=60" },
        Note(0, "c2", 0xb2, SessionNotes.Standby),
        Entry(20, "c1", HistoryKind.KeepAlive) with { LeaseId = 0xa1, Detail = "ttl=60" },
        Entry(40, "c2", HistoryKind.KeepAlive) with { LeaseId = 0xb2, Detail = "ttl=60" },
        .. then,
    ]);

    private static HistoryEntry Expired(double at) => Entry(at, "server", HistoryKind.LeaseExpired) with { LeaseId = 0xa1 };
}

using FakeEtcd.Simulation.Faults;
using FakeEtcd.Simulation.History;
using FakeEtcd.Simulation.Invariants;

namespace Election.Tests.Simulation;

/// <summary>
/// Issue 7.5 and 7.8: the checks pass a correct election and catch a broken one. The tests that assert
/// exact virtual instants run alone with the replay tests' 20 ms quiet period (see <see cref="DeterminismTests"/>):
/// with 1 ms, on a loaded CI machine, the broken standby's reaction once landed one timer step later.
/// </summary>
[Collection(nameof(ReplayCollection))]
public sealed class InvariantTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task Broken_standby_that_ignores_the_watch_revision_is_caught()
    {
        // Seed 3 has 2 coordinators: c1 a real session, c2 the broken standby; no faults at all.
        var run = await ActiveStandbyScenario.RunAsync(3, broken: BrokenCoordinatorKind.IgnoresWatchRevision, schedule: new FaultSchedule(), cancellationToken: TestContext.Current.CancellationToken, quietPeriod: Quiet);

        var violation = Assert.Single(run.Violations, v => v.Invariant == nameof(HistoryChecks.SingleActive));
        Assert.StartsWith("c" + run.Coordinators + " became active for rootcoord at t=0.000s while c1 (active since t=0.000s", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broken_standby_is_caught_under_seeded_faults_too()
    {
        var caught = 0;
        for (var seed = 1; seed <= 10; seed++)
        {
            var run = await ActiveStandbyScenario.RunAsync(seed, broken: BrokenCoordinatorKind.IgnoresWatchRevision, cancellationToken: TestContext.Current.CancellationToken);
            caught += run.Violations.Any(v => v.Invariant == nameof(HistoryChecks.SingleActive)) ? 1 : 0;
        }

        Assert.Equal(10, caught);
    }

    [Fact]
    public async Task Standby_that_polls_instead_of_watching_is_caught_taking_over_late()
    {
        // Seed 1 has 2 coordinators: c1 a real session, c2 the polling standby (CAS at t=0, 7, ..., 77, 84 s).
        // c1 is cut off at 30 s: its lease is due at 80 s (last keepalive at 20 s); c2 takes over at its next poll.
        var schedule = new FaultSchedule { Faults = [new Fault { Kind = FaultKind.Partition, Client = "c1", At = TimeSpan.FromSeconds(30) }] };
        var run = await ActiveStandbyScenario.RunAsync(1, broken: BrokenCoordinatorKind.PollsInsteadOfWatching, schedule: schedule, cancellationToken: TestContext.Current.CancellationToken, quietPeriod: Quiet);

        Assert.Equal(2, run.Coordinators);
        var violation = Assert.Single(run.Violations);
        Assert.Equal(nameof(HistoryChecks.FailoverWithin), violation.Invariant);
        Assert.EndsWith("ended at t=80.000s but no standby took over (c2 by t=80.000s); next activation c2 at t=84.000s", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crash_failover_passes_every_check_and_renders_a_timeline()
    {
        // c1 (active) is partitioned for good at 30 s: its lease expires at 80 s (last keepalive at 20 s) and c2 takes over then.
        var schedule = new FaultSchedule { Faults = [new Fault { Kind = FaultKind.Partition, Client = "c1", At = TimeSpan.FromSeconds(30) }] };
        var run = await ActiveStandbyScenario.RunAsync(1, schedule: schedule, cancellationToken: TestContext.Current.CancellationToken, quietPeriod: Quiet);

        Assert.Empty(run.Violations);
        var claims = ActiveClaim.From(run.History);
        Assert.Equal(["c1", "c2"], claims.Select(c => c.Client));
        Assert.Equal(TimeSpan.FromSeconds(80), claims[1].Start.At);
        var html = HistoryTimeline.ToHtml(run.History, "active-standby failover, seed 1");
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "simulation-failover.html"), html);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("active rootcoord lease", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Active_that_ignores_its_deadline_is_caught_by_both_active_checks()
    {
        // Seed 1 has 2 coordinators: c1 the broken active, c2 a real session. c1 is cut off at 30 s: its lease
        // is due at 80 s (last keepalive at 20 s), c2 takes over then, and c1 never steps down.
        var schedule = new FaultSchedule { Faults = [new Fault { Kind = FaultKind.Partition, Client = "c1", At = TimeSpan.FromSeconds(30) }] };
        var run = await ActiveStandbyScenario.RunAsync(1, broken: BrokenCoordinatorKind.ActiveIgnoresItsDeadline, schedule: schedule, cancellationToken: TestContext.Current.CancellationToken, quietPeriod: Quiet);

        var split = Assert.Single(run.Violations, v => v.Invariant == nameof(HistoryChecks.SingleActive));
        Assert.StartsWith("c2 became active for rootcoord at t=80.000s while c1 (active since t=0.000s, lease ", split.Message, StringComparison.Ordinal);
        var late = Assert.Single(run.Violations, v => v.Invariant == nameof(HistoryChecks.ActivesStepDownByTheirDeadline));
        Assert.StartsWith("c1 still believed it was active for rootcoord at t=", late.Message, StringComparison.Ordinal);
        Assert.EndsWith("'s deadline t=80.000s (last keepalive at t=20.000s + ttl 60s)", late.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Active_that_ignores_its_deadline_is_caught_under_seeded_faults_in_every_seed_that_ends_its_lease()
    {
        var judged = 0;
        for (var seed = 1; seed <= 10; seed++)
        {
            var run = await ActiveStandbyScenario.RunAsync(seed, broken: BrokenCoordinatorKind.ActiveIgnoresItsDeadline, cancellationToken: TestContext.Current.CancellationToken);
            var c1 = ActiveClaim.From(run.History).FirstOrDefault(c => c.Client == "c1");
            if (c1?.LeaseEnd is null)
            {
                continue; // No fault ended the broken active's lease in this seed: nothing to catch.
            }

            judged++;
            Assert.Contains(run.Violations, v => v.Invariant == nameof(HistoryChecks.ActivesStepDownByTheirDeadline) && v.Message.StartsWith("c1 ", StringComparison.Ordinal));
        }

        Assert.True(judged >= 3, $"only {judged} of 10 seeds ended the broken active's lease");
    }

    [Fact]
    public async Task A_stop_that_revokes_before_the_work_stopped_is_caught_as_overlapping_work()
    {
        // Seed 1 has 2 coordinators and no faults here: c1 active from 0 s, stopped gracefully at 30 s with
        // the old order. Its revoke lets c2 start at once while c1's work still winds down for 500 ms.
        var run = await ActiveStandbyScenario.RunAsync(
            1, schedule: new FaultSchedule(), cancellationToken: TestContext.Current.CancellationToken, quietPeriod: Quiet,
            gracefulStopAt: TimeSpan.FromSeconds(30), stopOrder: SessionStopOrder.RevokeFirst);

        var overlap = Assert.Single(run.Violations);
        Assert.Equal(nameof(HistoryChecks.NoOverlappingWork), overlap.Invariant);
        Assert.StartsWith("c2 started work as rootcoord at t=30.000s while c1's work (since t=0.000s, lease ", overlap.Message, StringComparison.Ordinal);
        Assert.EndsWith(") stopped only at t=30.500s", overlap.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_default_stop_hands_over_once_the_work_stopped_and_passes_every_check()
    {
        var run = await ActiveStandbyScenario.RunAsync(
            1, schedule: new FaultSchedule(), cancellationToken: TestContext.Current.CancellationToken, quietPeriod: Quiet,
            gracefulStopAt: TimeSpan.FromSeconds(30));

        Assert.Empty(run.Violations);
        var work = ActiveWork.From(run.History);
        Assert.Equal(["c1", "c2"], work.Select(w => w.Client));
        Assert.Equal(TimeSpan.FromSeconds(30.5), work[0].Stopped!.At);
        Assert.Equal(HistoryKind.LeaseRevoked, work[0].LeaseEnd!.Kind);
        Assert.True(work[0].Stopped!.Sequence < work[0].LeaseEnd!.Sequence, "c1's work stopped before its lease was revoked");
        Assert.Equal(TimeSpan.FromSeconds(30.5), work[1].Start.At);
        Assert.Null(work[1].Stopped);
    }
}

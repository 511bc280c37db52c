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
        var run = await ActiveStandbyScenario.RunAsync(3, broken: BrokenStandbyKind.IgnoresWatchRevision, schedule: new FaultSchedule(), cancellationToken: TestContext.Current.CancellationToken, quietPeriod: Quiet);

        var violation = Assert.Single(run.Violations, v => v.Invariant == nameof(HistoryChecks.SingleActive));
        Assert.StartsWith("c" + run.Coordinators + " became active for rootcoord at t=0.000s while c1 (active since t=0.000s", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broken_standby_is_caught_under_seeded_faults_too()
    {
        var caught = 0;
        for (var seed = 1; seed <= 10; seed++)
        {
            var run = await ActiveStandbyScenario.RunAsync(seed, broken: BrokenStandbyKind.IgnoresWatchRevision, cancellationToken: TestContext.Current.CancellationToken);
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
        var run = await ActiveStandbyScenario.RunAsync(1, broken: BrokenStandbyKind.PollsInsteadOfWatching, schedule: schedule, cancellationToken: TestContext.Current.CancellationToken, quietPeriod: Quiet);

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
    public void Watch_check_finds_duplicates_gaps_and_disorder()
    {
        HistoryEntry Entry(long seq, HistoryKind kind, long revision, params HistoryEvent[] events) => new()
        {
            Sequence = seq,
            At = TimeSpan.Zero,
            Client = "w",
            Kind = kind,
            Revision = revision,
            Stream = "w#1",
            WatchId = 0,
            Key = "k",
            RangeEnd = string.Empty,
            Events = events,
        };
        HistoryEvent Put(long revision) => new("PUT", "k", revision, 0);
        var history = new[]
        {
            Entry(0, HistoryKind.WatchCreated, 1),
            Entry(1, HistoryKind.Commit, 2, Put(2)),
            Entry(2, HistoryKind.Commit, 3, Put(3)),
            Entry(3, HistoryKind.Commit, 4, Put(4)),
            Entry(4, HistoryKind.WatchDelivered, 2, Put(2)),
            Entry(5, HistoryKind.WatchDelivered, 4, Put(4)),
            Entry(6, HistoryKind.WatchDelivered, 4, Put(4)),
        };

        Assert.Equal(
            [
                "WatchersSawEveryRevisionInOrder at #6: watcher w#1/0 on k got PUT k@4 after PUT k@4 (duplicate or out of order)",
                "WatchersSawEveryRevisionInOrder at #0: watcher w#1/0 on k never got PUT k@3",
            ],
            HistoryChecks.WatchersSawEveryRevisionInOrder(history).Select(v => v.ToString()));
    }
}

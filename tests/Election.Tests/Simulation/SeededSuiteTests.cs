using System.Globalization;

namespace Election.Tests.Simulation;

/// <summary>Issue 7.8: many seeded fault schedules over the active-standby scenario, zero invariant violations.</summary>
public sealed class SeededSuiteTests
{
    /// <summary>How many seeds (SIM_SEEDS, default 1000) and how many run at once (SIM_PARALLEL, default 8).</summary>
    private static int Seeds => int.TryParse(Environment.GetEnvironmentVariable("SIM_SEEDS"), CultureInfo.InvariantCulture, out var n) ? n : 1000;

    private static int Parallel => int.TryParse(Environment.GetEnvironmentVariable("SIM_PARALLEL"), CultureInfo.InvariantCulture, out var n) ? n : 8;

    [Fact]
    public async Task Seeded_fault_schedules_never_break_the_invariants()
    {
        var failures = new List<ScenarioRun>();
        var takeovers = new List<TimeSpan>();
        var reads = 0;
        var started = TimeProvider.System.GetTimestamp();
        await System.Threading.Tasks.Parallel.ForEachAsync(
            Enumerable.Range(1, Seeds),
            new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = TestContext.Current.CancellationToken },
            async (seed, ct) =>
            {
                var run = await ActiveStandbyScenario.RunAsync(seed, cancellationToken: ct);
                lock (takeovers)
                {
                    takeovers.AddRange(run.TakeoverDelays);
                    reads += run.History.Count(e => e.Kind == FakeEtcd.Simulation.History.HistoryKind.Response && e.Detail.StartsWith("Range count=", StringComparison.Ordinal));
                }

                if (run.Violations.Count > 0)
                {
                    lock (failures)
                    {
                        failures.Add(run);
                    }
                }
            });

        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"{Seeds} seeds, {Parallel} at once: {TimeProvider.System.GetElapsedTime(started).TotalSeconds:F1} s wall, {failures.Count} with violations; "
            + $"{takeovers.Count} takeovers after a lease end: {takeovers.Count(d => d == TimeSpan.Zero)} at the same virtual instant, "
            + $"{takeovers.Count(d => d > TimeSpan.Zero && d <= TimeSpan.FromSeconds(1))} within 1 s, the slowest after {(takeovers.Count == 0 ? 0 : takeovers.Max().TotalSeconds):F3} s; {reads} Range answers (the one-key ones checked for linearizability)");
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "simulation-suite.txt"), summary + "\n");
        if (failures.Count > 0)
        {
            Assert.Fail($"{failures.Count} of {Seeds} seeds broke an invariant; replay with ActiveStandbyScenario.RunAsync(seed). First:\n"
                + failures.OrderBy(f => f.Seed).First().Report()
                + "\nall failing seeds: " + string.Join(",", failures.Select(f => f.Seed).Order()));
        }
    }
}

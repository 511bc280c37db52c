using System.Globalization;
using System.Text.Json;
using FakeEtcd.Benchmarks.Failover;
using FakeEtcd.Benchmarks.Targets;
using HdrHistogram;

namespace FakeEtcd.Benchmarks.Latency;

/// <summary>
/// <c>latency [--runs N] [--virtual-runs N] [--crash-ttl S] [--out DIR]</c>: records N
/// watch-to-activate failovers per target and trigger (after a warm-up), N/10 crash failovers with a
/// 60 s TTL on the virtual clock, and one crash failover on real etcd with a short TTL; writes
/// percentiles and the percentile distribution to DIR/latency.json, one CSV and one .hgrm per series.
/// </summary>
internal static class LatencyCommand
{
    private const int WarmUp = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = CommandLine.IntOption(args, "--runs", 1000);
        var virtualRuns = CommandLine.IntOption(args, "--virtual-runs", Math.Max(10, runs / 10));
        var crashTtl = CommandLine.IntOption(args, "--crash-ttl", 5);
        var outDir = CommandLine.Option(args, "--out") ?? Path.Combine("BenchmarkDotNet.Artifacts", "results", "latency");
        Directory.CreateDirectory(outDir);

        var started = DateTimeOffset.UtcNow;
        var loadBefore = CommandLine.LoadAverage();
        var series = new List<LatencySeries>();
        foreach (var target in new[] { Target.FakeEtcd, Target.FakeEtcdTcp, Target.FakeEtcdProcess, Target.Etcd })
        {
            foreach (var trigger in new[] { FailoverTrigger.Revoke, FailoverTrigger.DeleteKey })
            {
                var (histogram, steps) = await WatchToActivateAsync(target, trigger, runs);
                series.Add(Save(outDir, target.ToString(), trigger.ToString(), histogram, steps));
            }
        }

        var (virtualHistogram, extraSettles, timerFirings) = await VirtualFailoversAsync(virtualRuns);
        series.Add(Save(outDir, "FakeEtcd", "Crash60sVirtual", virtualHistogram));
        Console.WriteLine($"virtual failovers: {timerFirings:0.0} session timer firings each; {extraSettles} of {virtualRuns} needed settles after the TTL advance");
        var crash = crashTtl > 0 ? new CrashFailover(crashTtl, await EtcdCrashFailoverAsync(crashTtl)) : null;

        var run = new LatencyRun(started, loadBefore, CommandLine.LoadAverage(), runs, series, crash, new VirtualFailoverCost(virtualRuns, timerFirings, extraSettles));
        await File.WriteAllTextAsync(Path.Combine(outDir, LatencyRun.FileName), JsonSerializer.Serialize(run, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"wrote {Path.Combine(outDir, LatencyRun.FileName)}");
        return 0;
    }

    private static async Task<(LongHistogram Histogram, FailoverSteps Steps)> WatchToActivateAsync(Target target, FailoverTrigger trigger, int runs)
    {
        var histogram = NewHistogram();
        var timings = new List<FailoverTiming>(runs);
        await using var rig = await WatchToActivateRig.StartAsync(target, trigger);
        var warmUps = await FailoverWarmUp.RunAsync(rig);
        for (var i = 0; i < runs; i++)
        {
            await rig.PrepareAsync();
            var timing = await rig.FailOverAsync();
            histogram.RecordValue(timing.Total.Ticks * 100);
            timings.Add(timing);
        }

        var steps = FailoverSteps.MedianOf(timings);

        Console.WriteLine($"{target} {trigger}: p50 {histogram.GetValueAtPercentile(50) / 1000.0:0.0} µs, p99 {histogram.GetValueAtPercentile(99) / 1000.0:0.0} µs over {runs} after {warmUps} warm-up failovers; step medians {steps}");
        return (histogram, steps);
    }

    private static async Task<(LongHistogram Histogram, int ExtraSettles, double TimerFirings)> VirtualFailoversAsync(int runs)
    {
        var histogram = NewHistogram();
        var extra = 0;
        long firings = 0;
        await using var rig = await VirtualFailoverRig.StartAsync();
        for (var i = 0; i < WarmUp + runs; i++)
        {
            await rig.PrepareAsync();
            var firedBefore = rig.SessionTimerFirings;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await rig.FailOverAsync();
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (i >= WarmUp)
            {
                histogram.RecordValue(elapsed.Ticks * 100);
                extra += rig.LastAdvances > 1 ? 1 : 0;
                firings += rig.SessionTimerFirings - firedBefore;
            }
        }

        Console.WriteLine($"virtual 60 s crash failover: p50 {histogram.GetValueAtPercentile(50) / 1e6:0.00} ms over {runs}");
        return (histogram, extra, (double)firings / runs);
    }

    /// <summary>A crash (no revoke) on real etcd: the standby waits out the lease in wall time.</summary>
    private static async Task<double> EtcdCrashFailoverAsync(int ttlSeconds)
    {
        await using var server = await TargetServer.StartAsync(Target.Etcd);
        var ttl = TimeSpan.FromSeconds(ttlSeconds);
        await using var active = await Contender.StartAsync(server, ttl, TimeProvider.System);
        await active.Activated.WaitAsync(TimeSpan.FromSeconds(30));
        await using var standby = await Contender.StartAsync(server, ttl, TimeProvider.System);
        await standby.Probe.Created.WaitAsync(TimeSpan.FromSeconds(30));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await active.CrashAsync();
        var activated = await standby.Activated.WaitAsync(ttl * 3);
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started, activated).TotalSeconds;
        Console.WriteLine($"real etcd crash failover, TTL {ttlSeconds} s: {seconds:0.00} s");
        return seconds;
    }

    /// <summary>Summarizes <paramref name="histogram"/> and writes its distribution as CSV and as HdrHistogram's .hgrm (µs).</summary>
    private static LatencySeries Save(string outDir, string target, string trigger, LongHistogram histogram, FailoverSteps? steps = null)
    {
        var series = LatencySeries.From(target, trigger, histogram, steps);
        var name = Path.Combine(outDir, $"{target}-{trigger}");
        using (var csv = new StreamWriter(name + ".csv"))
        {
            csv.WriteLine("percentile,latency_us");
            foreach (var point in series.Distribution)
            {
                csv.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{point.Percentile:0.#####},{point.ValueUs:0.###}"));
            }
        }

        using (var hgrm = new StreamWriter(name + ".hgrm"))
        {
            histogram.OutputPercentileDistribution(hgrm, outputValueUnitScalingRatio: 1000);
        }

        return series;
    }

    // 1 ns to 10 min, 3 significant digits.
    private static LongHistogram NewHistogram() => new(600_000_000_000L, 3);
}

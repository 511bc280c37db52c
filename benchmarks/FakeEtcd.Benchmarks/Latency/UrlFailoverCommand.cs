using System.Globalization;
using System.Text.Json;
using FakeEtcd.Benchmarks.Failover;
using HdrHistogram;

namespace FakeEtcd.Benchmarks.Latency;

/// <summary>
/// <c>url-failover [--runs N] [--kinds tcp,tls,in-memory,fixture] [--label L] [--out DIR]</c>: issue 15's 60 s
/// crash failover N times per client kind (after a warm-up), each on a fresh server; prints and writes
/// (DIR/url-failover-L.json, L "idle" by default; the report renders every such file) the wall-time percentiles of the failover and of one idle settle after it,
/// and how many runs were not exact (standby not Standby 1 ms before the expiry, or not Active at it).
/// </summary>
internal static class UrlFailoverCommand
{
    private const int WarmUp = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = CommandLine.IntOption(args, "--runs", 1000);
        var kinds = (CommandLine.Option(args, "--kinds") ?? string.Join(',', ClientKind.Names)).Split(',', StringSplitOptions.RemoveEmptyEntries);
        var label = CommandLine.Option(args, "--label") ?? "idle";
        var outDir = CommandLine.Option(args, "--out") ?? Path.Combine("BenchmarkDotNet.Artifacts", "results", "latency");
        Directory.CreateDirectory(outDir);
        var started = DateTimeOffset.UtcNow;
        var loadBefore = CommandLine.LoadAverage();

        var results = new List<UrlFailoverSeries>();
        var inexact = 0;
        foreach (var name in kinds)
        {
            using var kind = ClientKind.Parse(name);
            var failovers = new LongHistogram(600_000_000_000L, 3);
            var settles = new LongHistogram(600_000_000_000L, 3);
            var notExact = 0;
            for (var i = 0; i < WarmUp + runs; i++)
            {
                var (failover, exact, idle) = await UrlFailoverRig.RunAsync(kind);
                if (i < WarmUp)
                {
                    continue;
                }

                failovers.RecordValue(failover.Ticks * 100);
                settles.RecordValue(idle.Ticks * 100);
                notExact += exact ? 0 : 1;
            }

            var series = new UrlFailoverSeries(name, runs, notExact, Ms(failovers, 50), Ms(failovers, 90), Ms(failovers, 99), failovers.GetMaxValue() / 1e6, Us(settles, 50), Us(settles, 99));
            results.Add(series);
            inexact += notExact;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: failover p50 {series.P50Ms:0.00} ms, p90 {series.P90Ms:0.00} ms, p99 {series.P99Ms:0.00} ms, max {series.MaxMs:0.00} ms; idle settle p50 {series.IdleSettleP50Us:0.0} µs, p99 {series.IdleSettleP99Us:0.0} µs; {notExact} of {runs} not exact"));
        }

        var path = Path.Combine(outDir, $"{UrlFailoverRun.FilePrefix}{label}.json");
        var run = new UrlFailoverRun(label, started, loadBefore, CommandLine.LoadAverage(), results);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(run, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"wrote {path}");
        return inexact == 0 ? 0 : 1;
    }

    private static double Ms(LongHistogram histogram, double percentile) => histogram.GetValueAtPercentile(percentile) / 1e6;

    private static double Us(LongHistogram histogram, double percentile) => histogram.GetValueAtPercentile(percentile) / 1e3;
}

/// <summary>Everything one <c>url-failover</c> run writes, labelled (e.g. "idle", "one core busy").</summary>
internal sealed record UrlFailoverRun(string Label, DateTimeOffset StartedUtc, string LoadAverageBefore, string LoadAverageAfter, IReadOnlyList<UrlFailoverSeries> Series)
{
    public const string FilePrefix = "url-failover-";
}

/// <summary>One client kind's figures in a <see cref="UrlFailoverRun"/>.</summary>
internal sealed record UrlFailoverSeries(string Kind, int Runs, int NotExact, double P50Ms, double P90Ms, double P99Ms, double MaxMs, double IdleSettleP50Us, double IdleSettleP99Us);

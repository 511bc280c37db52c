using System.Globalization;
using System.Text;
using System.Text.Json;
using FakeEtcd.Benchmarks.Targets;
using Args = FakeEtcd.Benchmarks.Latency.CommandLine;

namespace FakeEtcd.Benchmarks.Load;

/// <summary>
/// <c>load [--puts N] [--passes N] [--rounds N] [--fanout-watchers N] [--targets FakeEtcdProcess,EtcdDisk,Etcd] [--out DIR]</c>:
/// real etcd and FakeEtcd in its own process, driven side by side by the Go clientv3 generator
/// (<see cref="GoLoadGenerator"/>). Load: 32 writers and 40 watchers of one prefix, each on its own
/// TCP connection, every watcher checked to have seen every put once and in order; passes interleave
/// the targets. Fan-out: one put read by 1000 watchers, each on its own watch stream. Each server's
/// CPU time is read from /proc, since on a 2-core machine the generator needs a core itself. Writes what
/// it prints to DIR/load.txt; non-zero when a watcher missed, repeated or reordered an event.
/// </summary>
internal static class LoadCommand
{
    /// <summary>The file this command writes beside latency.json; the report quotes it.</summary>
    public const string FileName = "load.txt";

    private const int Writers = 32;
    private const int Watchers = 40;

    public static async Task<int> RunAsync(string[] args)
    {
        var puts = Args.IntOption(args, "--puts", 12_800);
        var passes = Args.IntOption(args, "--passes", 3);
        var rounds = Args.IntOption(args, "--rounds", 300);
        var fanoutWatchers = Args.IntOption(args, "--fanout-watchers", 1000);
        var targets = (Args.Option(args, "--targets") ?? "FakeEtcdProcess,EtcdDisk,Etcd")
            .Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<Target>).ToList();
        var outDir = Args.Option(args, "--out") ?? Path.Combine("BenchmarkDotNet.Artifacts", "results", "latency");
        GoLoadGenerator generator;
        try
        {
            generator = await GoLoadGenerator.BuildAsync(Path.Combine("BenchmarkDotNet.Artifacts", "bin"));
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"load: {e.Message}");
            return 1;
        }

        var text = new StringBuilder();
        void Line(string line)
        {
            Console.WriteLine(line);
            text.AppendLine(line);
        }

        var servers = new List<(Target Target, TargetServer Server)>();
        var exact = true;
        var startedUtc = DateTimeOffset.UtcNow;
        var summaries = new List<LoadTargetSummary>();
        try
        {
            foreach (var target in targets)
            {
                servers.Add((target, await TargetServer.StartAsync(target)));
            }

            var loadBefore = Args.LoadAverage();
            // Untimed first: a fresh FakeEtcd runs its first pass on first-tier JIT code at about half speed.
            foreach (var (_, server) in servers)
            {
                await generator.RunAsync<LoadPass>(server.Url, "-mode", "load", "-puts", puts.ToString(CultureInfo.InvariantCulture));
                await generator.RunAsync<FanoutRun>(server.Url, "-mode", "fanout", "-watchers", fanoutWatchers.ToString(CultureInfo.InvariantCulture), "-rounds", "50");
            }

            var loads = servers.ToDictionary(s => s.Target, _ => new List<(LoadPass Pass, double ServerCpu)>());
            for (var pass = 0; pass < passes; pass++)
            {
                foreach (var (target, server) in servers)
                {
                    var cpu = ServerCpu(server);
                    var result = await generator.RunAsync<LoadPass>(server.Url, "-mode", "load", "-puts", puts.ToString(CultureInfo.InvariantCulture));
                    loads[target].Add((result, ServerCpu(server) - cpu));
                }
            }

            var fanouts = new Dictionary<Target, (FanoutRun Run, double ServerCpu)>();
            foreach (var (target, server) in servers)
            {
                var cpu = ServerCpu(server);
                var run = await generator.RunAsync<FanoutRun>(server.Url, "-mode", "fanout", "-watchers", fanoutWatchers.ToString(CultureInfo.InvariantCulture), "-rounds", rounds.ToString(CultureInfo.InvariantCulture));
                fanouts[target] = (run, ServerCpu(server) - cpu);
            }

            Line($"load: {Writers} writers and {Watchers} watchers of one prefix, each on its own TCP connection (Go clientv3 of etcd 3.4);");
            Line($"{puts:N0} puts of 100-byte values per pass, {passes} passes per target with the targets interleaved, after an untimed pass;");
            Line($"load average {loadBefore} before, {Args.LoadAverage()} after. CPU figures are per 1000 puts.");
            Line($"{"target",-28} {"puts/s (median)",16} {"each pass",-26} {"watchers exact",15} {"server CPU ms",14} {"client CPU ms",14}");
            var medians = new Dictionary<Target, double>();
            var loadExact = new Dictionary<Target, bool>();
            foreach (var (target, _) in servers)
            {
                var runs = loads[target];
                var median = Median(runs.Select(r => r.Pass.PutsPerSecond));
                medians[target] = median;
                var allExact = runs.All(r => r.Pass.WatchersExact == Watchers && r.Pass.Errors.Count == 0 && r.Pass.EventsRead == (long)Watchers * puts);
                loadExact[target] = allExact;
                exact &= allExact;
                Line($"{Name(target),-28} {median,16:N0} {string.Join(" / ", runs.Select(r => r.Pass.PutsPerSecond.ToString("N0", CultureInfo.InvariantCulture))),-26} "
                    + $"{(allExact ? $"{Watchers} of {Watchers}" : "NO"),15} {Median(runs.Select(r => r.ServerCpu * 1000_000 / puts)),14:N0} {Median(runs.Select(r => r.Pass.ClientCpuSeconds * 1000_000 / puts)),14:N0}");
                foreach (var error in runs.SelectMany(r => r.Pass.Errors).Distinct().Take(5))
                {
                    Line($"  {error}");
                }
            }

            Ratios(Line, medians, higherIsBetter: true);
            Line(string.Empty);
            Line($"fan-out: one put, read by {fanoutWatchers} watchers of its key, each on its own watch stream, spread over 10 TCP connections;");
            Line($"{rounds} timed puts after 20 untimed (and an untimed run of 50), one at a time; from the put's start to the last watcher's read. CPU figures are per put, watch set-up included.");
            Line($"{"target",-28} {"p50 µs",10} {"p90 µs",10} {"p99 µs",10} {"server CPU ms",14} {"client CPU ms",14}");
            var p50s = new Dictionary<Target, double>();
            foreach (var (target, (run, serverCpu)) in fanouts)
            {
                p50s[target] = run.P50Micros;
                exact &= run.Errors.Count == 0;
                var perPut = 1000.0 / (run.Rounds + 20);
                Line($"{Name(target),-28} {run.P50Micros,10:N0} {run.P90Micros,10:N0} {run.P99Micros,10:N0} {serverCpu * perPut,14:N1} {run.ClientCpuSeconds * perPut,14:N1}");
                foreach (var error in run.Errors.Take(5))
                {
                    Line($"  {error}");
                }
            }

            Ratios(Line, p50s, higherIsBetter: false);
            foreach (var (target, _) in servers)
            {
                var runs = loads[target];
                var (fanout, fanoutServerCpu) = fanouts[target];
                var perPut = 1000.0 / (fanout.Rounds + 20);
                summaries.Add(new LoadTargetSummary(
                    target.ToString(),
                    medians[target],
                    Median(runs.Select(r => r.ServerCpu * 1000_000 / puts)),
                    Median(runs.Select(r => r.Pass.ClientCpuSeconds * 1000_000 / puts)),
                    fanout.P50Micros,
                    fanout.P99Micros,
                    fanoutServerCpu * perPut,
                    fanout.ClientCpuSeconds * perPut,
                    loadExact[target] && fanout.Errors.Count == 0));
            }
        }
        finally
        {
            foreach (var (_, server) in servers)
            {
                await server.DisposeAsync();
            }
        }

        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, FileName), text.ToString());
        await File.WriteAllTextAsync(
            Path.Combine(outDir, LoadSummary.FileName),
            JsonSerializer.Serialize(new LoadSummary(startedUtc, puts, passes, fanoutWatchers, summaries), new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"wrote {Path.Combine(outDir, FileName)}");
        return exact ? 0 : 1;
    }

    private static double ServerCpu(TargetServer server) =>
        server.ServerPid is { } pid ? ProcessCpu.Seconds(pid) : throw new InvalidOperationException("load runs servers in their own processes only");

    private static void Ratios(Action<string> line, Dictionary<Target, double> figures, bool higherIsBetter)
    {
        if (!figures.TryGetValue(Target.FakeEtcdProcess, out var fake))
        {
            return;
        }

        foreach (var etcd in new[] { Target.EtcdDisk, Target.Etcd }.Where(figures.ContainsKey))
        {
            var ratio = higherIsBetter ? fake / figures[etcd] : figures[etcd] / fake;
            line($"FakeEtcd vs {Name(etcd)}: {ratio:0.00}x {(ratio >= 1 ? "faster" : "slower")}" + (ratio >= 1 ? string.Empty : $" ({1 / ratio:0.00}x)"));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Name(Target target) => target switch
    {
        Target.FakeEtcdProcess => "FakeEtcd (own process)",
        Target.EtcdDisk => "etcd 3.4 (data on disk)",
        Target.Etcd => "etcd 3.4 (data on tmpfs)",
        _ => target.ToString(),
    };
}

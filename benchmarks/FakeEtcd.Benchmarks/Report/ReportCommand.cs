using System.Globalization;
using System.Text;
using System.Text.Json;
using FakeEtcd.Benchmarks.Latency;
using FakeEtcd.Benchmarks.Load;

namespace FakeEtcd.Benchmarks.Report;

/// <summary>
/// <c>report [results-dir] [docs-dir] [--preliminary] [--note TEXT]</c>: turns BenchmarkDotNet's JSON results and
/// the latency harness's <c>latency/latency.json</c> into docs/benchmarks.md (goals with verdicts,
/// figures and ratios to real etcd and the gRPC floor) and its SVG charts.
/// </summary>
internal static class ReportCommand
{
    public const string RunAll = "dotnet run -c Release --project benchmarks/FakeEtcd.Benchmarks -- all";

    private static readonly string[] Targets = ["FakeEtcd", "FakeEtcdTcp", "Etcd", "EtcdDisk", "FloorInMemory", "Floor"];

    public static int Run(string[] args)
    {
        var preliminary = args.Contains("--preliminary");
        var noteAt = Array.IndexOf(args, "--note");
        var note = noteAt >= 0 && noteAt + 1 < args.Length ? args[noteAt + 1] : null;
        var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (noteAt < 0 || i != noteAt + 1)).ToArray();
        var resultsDir = positional.Length > 0 ? positional[0] : Path.Combine("BenchmarkDotNet.Artifacts", "results");
        var docsDir = positional.Length > 1 ? positional[1] : "docs";

        // Newest first, so a case measured again in a later (e.g. filtered) run replaces the older figure.
        var files = Directory.Exists(resultsDir)
            ? Directory.GetFiles(resultsDir, "*-report-full.json").OrderByDescending(File.GetLastWriteTimeUtc).ToArray()
            : [];
        var latencyFile = Path.Combine(resultsDir, "latency", LatencyRun.FileName);
        var latency = File.Exists(latencyFile) ? JsonSerializer.Deserialize<LatencyRun>(File.ReadAllText(latencyFile)) : null;
        var urlFailovers = UrlFailoverSection.Load(Path.Combine(resultsDir, "latency"));
        var explainFile = Path.Combine(resultsDir, "latency", ExplainCommand.FileName);
        var explained = File.Exists(explainFile) ? File.ReadAllText(explainFile) : null;
        var loadFile = Path.Combine(resultsDir, "latency", LoadSummary.FileName);
        var load = File.Exists(loadFile) ? JsonSerializer.Deserialize<LoadSummary>(File.ReadAllText(loadFile)) : null;
        var loadTextFile = Path.Combine(resultsDir, "latency", LoadCommand.FileName);
        var loadText = File.Exists(loadTextFile) ? File.ReadAllText(loadTextFile) : null;
        if (files.Length == 0 && latency is null)
        {
            Console.Error.WriteLine($"no *-report-full.json or latency/{LatencyRun.FileName} in {resultsDir}: run the benchmarks first");
            return 1;
        }

        var results = files.SelectMany(BenchmarkResult.Load).DistinctBy(r => (r.Type, r.Case, r.Target)).ToList();
        var rows = results
            .GroupBy(r => (r.Type, r.Case))
            .OrderBy(g => g.Key.Type, StringComparer.Ordinal).ThenBy(g => g.Key.Case, StringComparer.Ordinal)
            .Select(g => (g.Key.Type, g.Key.Case, ByTarget: Targets.Select(t => g.FirstOrDefault(r => r.Target == t)).ToArray()))
            .ToList();

        Directory.CreateDirectory(docsDir);
        var chart = rows.Where(r => r.Type == "KvLatencyBenchmark").Select(r => (r.Case, r.ByTarget.Select(b => b?.Median / 1000).ToArray())).ToList();
        File.WriteAllText(Path.Combine(docsDir, "benchmarks-kv.svg"), SvgBarChart.Render("KV latency, median of iteration means (lower is better)", "µs", ["FakeEtcd (in-memory)", "FakeEtcd (TCP)", "etcd 3.4 (tmpfs)", "etcd 3.4 (disk)", "gRPC floor (in-memory)", "gRPC floor (TCP)"], chart));
        if (latency is not null)
        {
            File.WriteAllText(Path.Combine(docsDir, "benchmarks-watch-to-activate.svg"), WatchToActivateChart(latency));
        }

        var md = new StringBuilder();
        Header(md, files.FirstOrDefault(), latency, preliminary, note);
        GoalsSection(md, Goals.Evaluate(results, latency));
        AtTheFloorSection(md, Goals.AtTheFloor(latency, load));
        if (latency is not null)
        {
            LatencySection(md, latency);
        }

        if (explained is not null)
        {
            ExplainedSection(md, explained);
        }

        if (loadText is not null)
        {
            LoadSection(md, loadText, load);
        }

        UrlFailoverSection.Write(md, urlFailovers);

        FiguresSection(md, rows);
        File.WriteAllText(Path.Combine(docsDir, "benchmarks.md"), md.ToString());
        Console.WriteLine($"wrote {Path.Combine(docsDir, "benchmarks.md")} from {results.Count} BenchmarkDotNet results{(latency is null ? string.Empty : " and the latency run")}");
        return 0;
    }

    private static void Header(StringBuilder md, string? anyResultFile, LatencyRun? latency, bool preliminary, string? note)
    {
        md.AppendLine("# Benchmarks").AppendLine();
        md.AppendLine("FakeEtcd next to real etcd 3.4 (Debian's etcd-server, started by the benchmark on loopback with a temp data dir: on tmpfs — /dev/shm — where its fsyncs cost no disk time, a best case for etcd; and for the KV workloads also in the system temp dir on disk, etcd's default deployment)");
        md.AppendLine("and a bare gRPC floor (Kestrel serving etcd's KV service with canned answers), measured in the same run.");
        md.AppendLine("FakeEtcd runs in the benchmark's process; its clients connect as a test fixture's do, on in-memory channels (`CreateInMemoryChannel`: HTTP/2 over pipes),");
        md.AppendLine("and, as any etcd client given its URL, over loopback TCP (the TCP columns). The floor is measured both ways, so each FakeEtcd figure has a like-for-like floor.");
        md.AppendLine("Absolute numbers vary with the machine; the ratios are what count. Run everything and regenerate this page with:").AppendLine();
        md.AppendLine("```bash").AppendLine(RunAll).AppendLine("```").AppendLine();
        md.AppendLine("which runs, in order (each can be run on its own; the report reads `BenchmarkDotNet.Artifacts/results`):").AppendLine();
        md.AppendLine("```bash");
        md.AppendLine("dotnet run -c Release --project benchmarks/FakeEtcd.Benchmarks -- --filter '*' --job short   # BenchmarkDotNet workloads");
        md.AppendLine("dotnet run -c Release --project benchmarks/FakeEtcd.Benchmarks -- latency --runs 1000        # watch-to-activate distributions");
        md.AppendLine("dotnet run -c Release --project benchmarks/FakeEtcd.Benchmarks -- explain                     # where the failover time goes");
        md.AppendLine("dotnet run -c Release --project benchmarks/FakeEtcd.Benchmarks -- load                        # fan-out and load, Go clientv3 (needs golang-go golang-etcd-server-dev)");
        md.AppendLine("dotnet run -c Release --project benchmarks/FakeEtcd.Benchmarks -- report                      # this page and its charts");
        md.AppendLine("```").AppendLine();
        if (anyResultFile is not null)
        {
            md.AppendLine(Machine(anyResultFile)).AppendLine();
        }

        if (preliminary)
        {
            md.AppendLine("**Preliminary figures.** They were measured while other builds and test runs shared the machine's cores"
                + (latency is null ? string.Empty : $" (load average {latency.LoadAverageBefore} → {latency.LoadAverageAfter} during the latency run, {latency.StartedUtc:yyyy-MM-dd HH:mm} UTC)")
                + ", so single figures are noisy (and the short job has 3 iterations per case) and several goals cannot be judged from them; an idle-machine run with the commands above replaces them.");
            md.AppendLine();
        }

        if (note is not null)
        {
            md.AppendLine(note).AppendLine();
        }
    }

    private static void GoalsSection(StringBuilder md, IEnumerable<GoalRow> goals)
    {
        md.AppendLine("## Goals").AppendLine();
        GoalTable(md, "goal", goals);

        md.AppendLine();
        md.AppendLine("Ratios: FakeEtcd / floor for the first goal, etcd / FakeEtcd otherwise (higher is better). Put and start-up use the");
        md.AppendLine("BenchmarkDotNet median of iteration means; watch-to-activate uses the latency run's p50 of single failovers.").AppendLine();
    }

    private static void GoalTable(StringBuilder md, string first, IEnumerable<GoalRow> goals)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"| {first} | measured | ratio | verdict | what dominates (misses) |");
        md.AppendLine("|---|---|---:|---|---|");
        foreach (var goal in goals)
        {
            var verdict = goal.Met switch { true => "met", false => "**missed**", null => "–" };
            md.AppendLine(CultureInfo.InvariantCulture, $"| {goal.Goal} | {goal.Measured} | {goal.Ratio} | {verdict} | {goal.Dominates} |");
        }
    }

    private static void AtTheFloorSection(StringBuilder md, IEnumerable<GoalRow> goals)
    {
        md.AppendLine("### Watch-to-activate at the floor (issue 18)").AppendLine();
        GoalTable(md, "target", goals);

        md.AppendLine();
        md.AppendLine("Ratios: limit / p50 for the in-process rows; etcd / FakeEtcd (times) and FakeEtcd / etcd (throughput) otherwise; higher is better.");
        md.AppendLine("The in-process and own-process rows come from the latency run below, the load and fan-out rows from `load`.").AppendLine();
    }

    private static void LoadSection(StringBuilder md, string text, LoadSummary? load)
    {
        md.AppendLine("## Fan-out and load (Go clientv3)").AppendLine();
        md.AppendLine("`load` drives each server with benchmarks/etcd-load, a Go program on etcd 3.4's own clientv3 (the client Milvus uses), built");
        md.AppendLine("offline in GOPATH mode against Debian's golang-etcd-server-dev. It knows nothing of FakeEtcd, which runs standalone in its own");
        md.AppendLine("process, as real etcd does. Each server's CPU time is read from /proc and the generator reports its own: on this 2-core");
        md.AppendLine("machine the generator needs about a core, so both runs are CPU-bound and the CPU per put is the fairer comparison of the servers.");
        md.AppendLine("Each load pass checks that every watcher saw every put once, in revision order, with the key that put wrote.");
        md.AppendLine("What it found (2026-12-07): a grpc-go client opening more than 100 watch streams on one connection stalled on FakeEtcd");
        md.AppendLine("(Kestrel's default stream limit; etcd has none), and FakeEtcd's server CPU per 1000 load puts was 222–228 ms in manual runs");
        md.AppendLine("of the same generator. Sharing each committed event across the watchers it goes to (no copy per watcher), flushing a burst");
        md.AppendLine("of queued responses once, and waiting for the next response without a cancellation registration per message brought it");
        md.AppendLine("to the figure below. The rest is per message: protobuf serialization, Kestrel's HTTP/2 frame writer and one socket send.");
        if (load is not null)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Run of {load.StartedUtc:yyyy-MM-dd HH:mm} UTC.");
        }

        md.AppendLine().AppendLine("```text").Append(text.TrimEnd()).AppendLine().AppendLine("```").AppendLine();
    }

    private static void LatencySection(StringBuilder md, LatencyRun latency)
    {
        md.AppendLine("## Watch-to-activate and failover").AppendLine();
        md.AppendLine("src/Election's `ActiveStandbySession`, one active and one standby on separate connections, 60 s TTL on the wall clock.");
        md.AppendLine("Each failover gets a fresh standby whose watch on the ACTIVE key the server has acknowledged; the time runs from the");
        md.AppendLine("trigger (the active's `StopAsync`, which revokes its lease, or an operator deleting the ACTIVE key) until the standby's");
        md.AppendLine(CultureInfo.InvariantCulture, $"activation callback is entered: DELETE event → CAS → callback. {latency.Runs} failovers per row, after a warm-up of at least 20 failovers and as long as the KV cases warm up (HdrHistogram).").AppendLine();
        md.AppendLine("![watch-to-activate latency distribution](benchmarks-watch-to-activate.svg)").AppendLine();
        md.AppendLine("| target | trigger | failovers | p50 | p90 | p95 | p99 | p99.9 | max | trigger → event | event → CAS | CAS round trip | CAS → callback |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in latency.Series)
        {
            var steps = s.StepsP50 is { } p
                ? $"{Us(p.TriggerToEventUs)} | {Us(p.EventToCasUs)} | {Us(p.CasRoundTripUs)} | {Us(p.CasToCallbackUs)}"
                : "– | – | – | –";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {Name(s.Target, s.Trigger)} | {TriggerName(s.Trigger)} | {s.Count} | {Us(s.P50Us)} | {Us(s.P90Us)} | {Us(s.P95Us)} | {Us(s.P99Us)} | {Us(s.P999Us)} | {Us(s.MaxUs)} | {steps} |");
        }

        md.AppendLine();
        md.AppendLine("The step columns are medians of each step as the standby's client saw it (they need not add up to the p50).");
        md.AppendLine("Distributions: `BenchmarkDotNet.Artifacts/results/latency/*.csv` and `*.hgrm`.").AppendLine();

        md.AppendLine("### Crash failover: virtual clock vs real etcd").AppendLine();
        md.AppendLine("A crashed active (its connection dies; nothing is revoked) is only replaced when its lease expires. On FakeEtcd a test");
        md.AppendLine("advances the virtual clock by the 60 s TTL and the standby is active when `AdvanceAsync` returns (the crash row above, wall time).");
        md.AppendLine("On real etcd the standby waits the lease out in wall time: keepalives go every TTL/3, so a 60 s lease expires 40–60 s after");
        md.Append("the crash, plus etcd's expiry check (every 500 ms)");
        if (latency.EtcdCrash is { } crash)
        {
            md.Append(CultureInfo.InvariantCulture, $". Measured once on real etcd with a {crash.TtlSeconds} s TTL: {crash.WallSeconds:0.00} s from crash to activation ");
            md.Append(CultureInfo.InvariantCulture, $"(the same arithmetic gives {crash.TtlSeconds * 2 / 3.0:0.0}–{crash.TtlSeconds + 0.5:0.0} s for that TTL)");
        }

        md.AppendLine(".");
        if (latency.Series.FirstOrDefault(s => s.Trigger == "Crash60sVirtual") is { } virtualCrash)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"The 60 s-TTL crash costs a test {Us(virtualCrash.P50Us)} of wall time at p50 on FakeEtcd against at least 40 s on real etcd: {40e6 / virtualCrash.P50Us:N0}× less.");
        }

        if (latency.VirtualFailover is { } cost)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Per virtual failover {cost.SessionTimerFiringsPerFailover:0.#} session timer callbacks fired during the advance, each followed by a settle; ");
            md.AppendLine(CultureInfo.InvariantCulture, $"{cost.NeededExtraSettles} of {cost.Runs} failovers needed settles after the advance returned.");
        }

        md.AppendLine();
    }

    private static void ExplainedSection(StringBuilder md, string explained)
    {
        md.AppendLine("### Where the failover time goes").AppendLine();
        md.AppendLine("`explain` (below) runs the same failovers with the gRPC libraries' own EventSource events recorded on both sides");
        md.AppendLine("(Grpc.Net.Client and Grpc.AspNetCore.Server: call start, message received, message sent), timestamped on the thread that writes");
        md.AppendLine("them. Each step is split at those events: the trigger's call reaching the server, the server's handler until the watch event");
        md.AppendLine("is written, the event reaching the standby, then the CAS's way to the server, its handler and its answer's way back. It also");
        md.AppendLine("times a lone Txn on a quiet connection, which is the CAS without a failover around it. Recording costs a little per event.");
        md.AppendLine("With FakeEtcd in another process, or with etcd, only the client's steps can be shown.").AppendLine();
        md.AppendLine("What it showed:").AppendLine();
        md.AppendLine("- **The JIT.** Earlier pages recorded failovers after 20 warm-up ones. That left the tiered JIT's first-tier code on the path.");
        md.AppendLine("  A lone Txn on a fresh in-memory connection took 218 µs over its first thousand calls and 67 µs after thirty thousand.");
        md.AppendLine("  That is most of the CAS round trip of 435–450 µs measured before. The harness now warms up for at least 20 failovers and");
        md.AppendLine("  as long as the KV cases do (8 s; `FAKEETCD_BENCH_WARMUP_SECONDS`).");
        md.AppendLine("- **Revoke: the library's graceful stop.** By default (`SessionStopOrder.ActivationFirst`) `StopAsync` cancels the activation and");
        md.AppendLine("  waits for it to return before it sends the revoke, so the old active's work has ended before a standby can take over.");
        md.AppendLine("  \"trigger → server has the trigger call\" is that wait. It is not server time: the server's part starts at the revoke.");
        md.AppendLine("  Until 2026-12-07 the stop also tore down the active's liveness watch (its gRPC stream, cancelled inline) before the revoke:");
        md.AppendLine("  660 µs of a 946 µs in-process revoke failover (p50 of 500). The revoke now goes out first and the watch ends after it.");
        md.AppendLine("- **FakeEtcd's own part** is the server's handler (revoke or delete, commit, watch fan-out, until the event is written),");
        md.AppendLine("  plus its handling of the CAS. Everything else is the gRPC client, HTTP/2 and the thread pool of this 2-core machine,");
        md.AppendLine("  on both ends of the in-memory pipe.").AppendLine();
        md.AppendLine("```text").Append(explained.TrimEnd()).AppendLine().AppendLine("```").AppendLine();
    }

    private static void FiguresSection(StringBuilder md, List<(string Type, string Case, BenchmarkResult?[] ByTarget)> rows)
    {
        md.AppendLine("## All BenchmarkDotNet figures").AppendLine();
        md.AppendLine("![KV latency](benchmarks-kv.svg)").AppendLine();
        md.AppendLine("| benchmark | case | FakeEtcd (in-memory) | FakeEtcd (TCP) | etcd 3.4 (tmpfs) | etcd 3.4 (disk) | floor (in-memory) | floor (TCP) | FakeEtcd / floor (in-memory) | FakeEtcd / floor (TCP) | etcd tmpfs / FakeEtcd | etcd disk / FakeEtcd | FakeEtcd allocated |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (type, @case, byTarget) in rows)
        {
            var (fake, fakeTcp, etcd, etcdDisk, floorInMemory, floor) = (byTarget[0], byTarget[1], byTarget[2], byTarget[3], byTarget[4], byTarget[5]);
            md.AppendLine(CultureInfo.InvariantCulture, $"| {type} | {@case} | {Time(fake)} | {Time(fakeTcp)} | {Time(etcd)} | {Time(etcdDisk)} | {Time(floorInMemory)} | {Time(floor)} | {Ratio(fake, floorInMemory)} | {Ratio(fakeTcp, floor)} | {Ratio(etcd, fake)} | {Ratio(etcdDisk, fake)} | {Bytes(fake)} |");
        }

        md.AppendLine().AppendLine("Times are medians of iteration means (p95 / p99 in brackets). Throughput rows report time per put; ops/s = 1 / time.");
        md.AppendLine("FakeEtcd without a qualifier is the in-memory column; the etcd ratios compare etcd with it.");
        md.AppendLine("Watch-to-activate and the virtual failover measure one failover per iteration (fresh standby in [IterationSetup]).");
    }

    private static string WatchToActivateChart(LatencyRun latency)
    {
        var colors = new Dictionary<string, string> { ["FakeEtcd"] = "#2b7bb9", ["FakeEtcdTcp"] = "#66a61e", ["Etcd"] = "#d95f02" };
        var series = latency.Series
            .Where(s => s.StepsP50 is not null)
            .Select(s => (Name(s.Target, s.Trigger) + ", " + TriggerName(s.Trigger), colors.GetValueOrDefault(s.Target, "#7570b3"), s.Trigger == "DeleteKey",
                (IReadOnlyList<(double, double)>)s.Distribution.Select(p => (p.Percentile, p.ValueUs / 1000)).ToList()))
            .ToList();
        return SvgPercentileChart.Render("Watch-to-activate latency distribution (lower is better)", series);
    }

    private static string Name(string target, string trigger) => target switch
    {
        "Etcd" => "etcd 3.4",
        "FakeEtcdProcess" => "FakeEtcd (own process, TCP)",
        "FakeEtcdTcp" => "FakeEtcd (TCP)",
        _ => trigger == "Crash60sVirtual" ? "FakeEtcd (virtual clock)" : "FakeEtcd (in-memory)",
    };

    private static string TriggerName(string trigger) => trigger switch
    {
        "Revoke" => "revoke",
        "DeleteKey" => "ACTIVE key deleted",
        "Crash60sVirtual" => "crash, advance 60 s TTL",
        _ => trigger,
    };

    private static string Machine(string resultFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(resultFile));
        var host = document.RootElement.GetProperty("HostEnvironmentInfo");
        string Get(string name) => host.TryGetProperty(name, out var value) ? value.ToString() : "?";
        return $"Machine: {Get("ProcessorName")}, {Get("PhysicalCoreCount")} physical / {Get("LogicalCoreCount")} logical cores, "
            + $"{Get("OsVersion")}, {Get("RuntimeVersion")}, BenchmarkDotNet {Get("BenchmarkDotNetVersion")}.";
    }

    private static string Time(BenchmarkResult? result) => result is null
        ? "–"
        : $"{Goals.Time(result.Median)} ({Goals.Time(result.P95)} / {Goals.Time(result.P99)})";

    private static string Us(double microseconds) => Goals.Time(microseconds * 1000);

    private static string Bytes(BenchmarkResult? result) => result is null || result.Allocated == 0
        ? "–"
        : result.Allocated >= 1024 ? string.Create(CultureInfo.InvariantCulture, $"{result.Allocated / 1024:0.0} KB")
        : string.Create(CultureInfo.InvariantCulture, $"{result.Allocated:0} B");

    private static string Ratio(BenchmarkResult? numerator, BenchmarkResult? denominator) =>
        numerator is null || denominator is null || denominator.Median == 0 ? "–" : Goals.Ratio(numerator.Median / denominator.Median);
}

using BenchmarkDotNet.Running;
using FakeEtcd.Benchmarks;
using FakeEtcd.Benchmarks.Latency;
using FakeEtcd.Benchmarks.Load;
using FakeEtcd.Benchmarks.Report;

switch (args)
{
    case ["report", ..]:
        return ReportCommand.Run(args[1..]);
    case ["url-failover", ..]:
        return await UrlFailoverCommand.RunAsync(args[1..]);
    case ["explain", ..]:
        return await ExplainCommand.RunAsync(args[1..]);
    case ["load", ..]:
        return await LoadCommand.RunAsync(args[1..]);
    case ["latency", ..]:
        return await LatencyCommand.RunAsync(args[1..]);
    case ["all", ..]:
        // The documented full run: every BenchmarkDotNet workload (short job), the latency harness, its split, the Go load runs, then the report.
        var extra = args[1..];
        var benchmarks = RunBenchmarks(["--filter", "*", "--job", "short"]);
        var latency = await LatencyCommand.RunAsync(extra);
        latency |= await ExplainCommand.RunAsync([]);
        latency |= await LoadCommand.RunAsync([]);
        return benchmarks | latency | ReportCommand.Run(extra.Where(a => a == "--preliminary").ToArray());
    default:
        return RunBenchmarks(args);
}

// Non-zero when any benchmark failed to run, so CI's dry pass catches rot.
static int RunBenchmarks(string[] args)
{
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(args);
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}

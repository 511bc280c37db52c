using BenchmarkDotNet.Running;
using FakeEtcd.Benchmarks.Report;

if (args is ["report", ..])
{
    return ReportCommand.Run(
        args.Length > 1 ? args[1] : Path.Combine("BenchmarkDotNet.Artifacts", "results"),
        args.Length > 2 ? args[2] : "docs");
}

// Non-zero when any benchmark failed to run, so CI's dry pass catches rot.
var summaries = BenchmarkSwitcher.FromAssembly(typeof(FakeEtcd.Benchmarks.BenchConfig).Assembly).Run(args);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;

using BenchmarkDotNet.Running;

// Non-zero when any benchmark failed to run, so CI's dry pass catches rot.
var summaries = BenchmarkSwitcher.FromAssembly(typeof(FakeEtcd.Benchmarks.BenchConfig).Assembly).Run(args);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;

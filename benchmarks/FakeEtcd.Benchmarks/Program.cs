using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(FakeEtcd.Benchmarks.BenchConfig).Assembly).Run(args);

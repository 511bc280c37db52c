using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(FakeEtcd.Benchmarks.LeaseExpiryBenchmark).Assembly).Run(args);

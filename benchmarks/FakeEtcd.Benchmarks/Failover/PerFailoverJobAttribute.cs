using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace FakeEtcd.Benchmarks.Failover;

/// <summary>
/// One failover per iteration (a fresh standby is set up in [IterationSetup], outside the
/// measurement), so each iteration is one sample and the percentile columns are per failover. A job
/// mutator, not a job: it applies to whatever job the command line picks (dry, short, ...) instead of
/// adding a second one, and it fixes the sample count, so a dry CI pass runs the same few seconds.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PerFailoverJobAttribute(int warmupCount, int iterationCount) : Attribute, IConfigSource
{
    public IConfig Config { get; } = ManualConfig.CreateEmpty().AddJob(
        Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithWarmupCount(warmupCount)
            .WithIterationCount(iterationCount)
            .AsMutator());
}

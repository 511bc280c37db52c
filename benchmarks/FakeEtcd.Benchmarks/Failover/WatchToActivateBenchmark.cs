using BenchmarkDotNet.Attributes;
using FakeEtcd.Benchmarks.Targets;

namespace FakeEtcd.Benchmarks.Failover;

/// <summary>
/// Watch-to-activate through src/Election: the active's term ends (lease revoke by a graceful stop,
/// or an operator deleting the ACTIVE key) → the standby's watch sees the DELETE → its CAS succeeds
/// → its activation callback is entered. One failover per iteration, on FakeEtcd and real etcd.
/// </summary>
[Config(typeof(BenchConfig))]
[PerFailoverJob(warmupCount: 10, iterationCount: 100)]
public class WatchToActivateBenchmark
{
    private WatchToActivateRig _rig = null!;

    [Params(Target.FakeEtcd, Target.FakeEtcdTcp, Target.Etcd)]
    public Target Target { get; set; }

    [Params(FailoverTrigger.Revoke, FailoverTrigger.DeleteKey)]
    public FailoverTrigger Trigger { get; set; }

    [GlobalSetup]
    public async Task SetupAsync() => _rig = await WatchToActivateRig.StartAsync(Target, Trigger);

    // BenchmarkDotNet runs iteration setups synchronously; blocking here is outside the measurement.
    [IterationSetup]
    public void FreshStandby() => _rig.PrepareAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public Task CleanupAsync() => _rig.DisposeAsync().AsTask();

    [Benchmark(Description = "watch-to-activate")]
    public Task<FailoverTiming> FailOver() => _rig.FailOverAsync();
}

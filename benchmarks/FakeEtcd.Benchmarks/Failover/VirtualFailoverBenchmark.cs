using BenchmarkDotNet.Attributes;

namespace FakeEtcd.Benchmarks.Failover;

/// <summary>
/// A full crash failover with a 60 s TTL on FakeEtcd's virtual clock: the active's connection dies
/// (no revoke), the test advances the clock one TTL and the standby becomes active. Wall time per
/// failover; real etcd needs the TTL itself in wall time (40–60 s with keepalives every TTL/3).
/// </summary>
[Config(typeof(BenchConfig))]
[PerFailoverJob(warmupCount: 3, iterationCount: 30)]
public class VirtualFailoverBenchmark
{
    private VirtualFailoverRig _rig = null!;

    [GlobalSetup]
    public async Task SetupAsync() => _rig = await VirtualFailoverRig.StartAsync();

    [IterationSetup]
    public void FreshStandby() => _rig.PrepareAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public Task CleanupAsync() => _rig.DisposeAsync().AsTask();

    [Benchmark(Description = "crash, advance 60 s TTL, standby active")]
    public Task FailOver() => _rig.FailOverAsync();
}

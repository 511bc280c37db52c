using System.Diagnostics;
using FakeEtcd.Benchmarks.Kv;

namespace FakeEtcd.Benchmarks.Failover;

/// <summary>
/// Failovers run before a series is recorded: at least <see cref="MinFailovers"/>, and for as long as
/// the KV cases warm up (<see cref="KvWarmUp.Duration"/>). Twenty failovers alone left the tiered
/// JIT's first-tier code on the path: a lone Txn on a fresh connection took 218 µs over its first
/// thousand calls in process and 67 µs after thirty thousand (docs/benchmarks.md).
/// </summary>
internal static class FailoverWarmUp
{
    public const int MinFailovers = 20;

    /// <summary>Runs the warm-up failovers on <paramref name="rig"/>; returns how many ran.</summary>
    public static async Task<int> RunAsync(WatchToActivateRig rig)
    {
        var started = Stopwatch.GetTimestamp();
        var count = 0;
        while (count < MinFailovers || Stopwatch.GetElapsedTime(started) < KvWarmUp.Duration)
        {
            await rig.PrepareAsync();
            await rig.FailOverAsync();
            count++;
        }

        return count;
    }
}

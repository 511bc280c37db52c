using System.Diagnostics;
using System.Globalization;

namespace FakeEtcd.Benchmarks.Kv;

/// <summary>
/// Runs the measured calls from 16 callers for a few seconds before BenchmarkDotNet's own warm-up:
/// on this 2-core class of machine the runtime's tiered JIT took 6–9 s of such load to reach its
/// optimized code (throughput quadrupled after that), which a short job's warm-up does not cover,
/// for the .NET client of every target alike. <c>FAKEETCD_BENCH_WARMUP_SECONDS</c> sets the time (CI's dry pass: 0).
/// </summary>
internal static class KvWarmUp
{
    private const int Callers = 16;

    public static TimeSpan Duration { get; } = TimeSpan.FromSeconds(
        double.Parse(Environment.GetEnvironmentVariable("FAKEETCD_BENCH_WARMUP_SECONDS") ?? "8", CultureInfo.InvariantCulture));

    public static Task RunAsync(params Func<Task>[] calls)
    {
        var started = Stopwatch.GetTimestamp();
        return Task.WhenAll(Enumerable.Range(0, Callers).Select(async _ =>
        {
            while (Stopwatch.GetElapsedTime(started) < Duration)
            {
                foreach (var call in calls)
                {
                    await call();
                }
            }
        }));
    }
}

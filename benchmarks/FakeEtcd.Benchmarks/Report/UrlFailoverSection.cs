using System.Globalization;
using System.Text;
using System.Text.Json;
using FakeEtcd.Benchmarks.Latency;

namespace FakeEtcd.Benchmarks.Report;

/// <summary>The report's section for <c>url-failover</c> runs: the virtual 60 s failover per client kind.</summary>
internal static class UrlFailoverSection
{
    public static IReadOnlyList<UrlFailoverRun> Load(string latencyDir) =>
        Directory.Exists(latencyDir)
            ? Directory.GetFiles(latencyDir, UrlFailoverRun.FilePrefix + "*.json").Order(StringComparer.Ordinal)
                .Select(f => JsonSerializer.Deserialize<UrlFailoverRun>(File.ReadAllText(f))!).ToList()
            : [];

    public static void Write(StringBuilder md, IReadOnlyList<UrlFailoverRun> runs)
    {
        if (runs.Count == 0)
        {
            return;
        }

        md.AppendLine("### Virtual failover by client kind").AppendLine();
        md.AppendLine("The crash failover as a user's test writes it (`url-failover`, each run on a fresh server): two sessions, 60 s TTL,");
        md.AppendLine("each on its own channel of the kind — `GrpcChannel.ForAddress(server.ClientUrl)` over TCP or TLS, `CreateInMemoryChannel()`,");
        md.AppendLine("or the fixture's `CreateCallInvoker()`. At 30 s the active's process dies (its last keepalive reached the server at 20 s);");
        md.AppendLine("`AdvanceToAsync` to 79.999 s, where the standby must still be Standby, then `AdvanceAsync(1 ms)`, after which it must be Active.");
        md.AppendLine("The time runs from the crash until the second advance returns; the idle settle is one `AdvanceAsync(TimeSpan.Zero)` right after,");
        md.AppendLine("with the new active's keepalive and liveness streams open and nothing in flight. 20 warm-up runs per kind.").AppendLine();
        foreach (var run in runs)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"{run.Label} (load average {run.LoadAverageBefore} before, {run.LoadAverageAfter} after):").AppendLine();
            md.AppendLine("| client kind | failovers | not exact | p50 | p90 | p99 | max | idle settle p50 | idle settle p99 |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var s in run.Series)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {s.Kind} | {s.Runs} | {s.NotExact} | {s.P50Ms:0.00} ms | {s.P90Ms:0.00} ms | {s.P99Ms:0.00} ms | {s.MaxMs:0.00} ms | {s.IdleSettleP50Us:0.0} µs | {s.IdleSettleP99Us:0.0} µs |");
            }

            md.AppendLine();
        }
    }
}

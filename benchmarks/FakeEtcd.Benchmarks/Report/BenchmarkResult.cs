using System.Text.Json;

namespace FakeEtcd.Benchmarks.Report;

/// <summary>One benchmark case from BenchmarkDotNet's full JSON export, times in nanoseconds (per operation).</summary>
internal sealed record BenchmarkResult(string Type, string Method, IReadOnlyDictionary<string, string> Parameters, double Mean, double Median, double P95, double P99, double Allocated)
{
    public string Target => Parameters.GetValueOrDefault("Target", "FakeEtcd");

    /// <summary>The value of parameter <paramref name="name"/>, or null.</summary>
    public string? this[string name] => Parameters.GetValueOrDefault(name);

    /// <summary>The case without its target: rows that differ only in target are compared side by side.</summary>
    public string Case => string.Join(", ", new[] { Method }.Concat(Parameters.Where(p => p.Key != "Target").Select(p => $"{p.Key}={p.Value}")));

    public static IEnumerable<BenchmarkResult> Load(string jsonFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(jsonFile));
        foreach (var benchmark in document.RootElement.GetProperty("Benchmarks").EnumerateArray())
        {
            if (!benchmark.TryGetProperty("Statistics", out var statistics) || statistics.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var parameters = (benchmark.GetProperty("Parameters").GetString() ?? string.Empty)
                .Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty);
            var allocated = benchmark.TryGetProperty("Memory", out var memory) ? memory.GetProperty("BytesAllocatedPerOperation").GetDouble() : 0;
            yield return new BenchmarkResult(
                benchmark.GetProperty("Type").GetString()!,
                benchmark.GetProperty("MethodTitle").GetString()!.Trim('\''),
                parameters,
                statistics.GetProperty("Mean").GetDouble(),
                statistics.GetProperty("Median").GetDouble(),
                statistics.GetProperty("Percentiles").GetProperty("P95").GetDouble(),
                Percentile.Of(statistics.GetProperty("OriginalValues").EnumerateArray().Select(v => v.GetDouble()), 99),
                allocated);
        }
    }
}

using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Exporters.Json;

namespace FakeEtcd.Benchmarks;

/// <summary>Shared columns: p50, p95, p99 and max of iteration means, memory, CSV and JSON for the report.</summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.P50, StatisticColumn.P95, P99Column.Instance, StatisticColumn.Max);
        AddExporter(CsvMeasurementsExporter.Default, JsonExporter.Full);
        WithOption(ConfigOptions.JoinSummary, true);

        // The generated per-job project builds without the shared compiler; on a busy machine that exceeds the 2 min default.
        WithBuildTimeout(TimeSpan.FromMinutes(15));
    }
}

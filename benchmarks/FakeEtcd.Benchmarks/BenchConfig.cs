using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Exporters.Json;

namespace FakeEtcd.Benchmarks;

/// <summary>Shared columns: median and tail percentiles of iteration means, memory, CSV for the report.</summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.P95, StatisticColumn.Max);
        AddExporter(CsvMeasurementsExporter.Default, JsonExporter.Full);
        WithOption(ConfigOptions.JoinSummary, true);
    }
}

using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using FakeEtcd.Benchmarks.Report;

namespace FakeEtcd.Benchmarks;

/// <summary>The 99th percentile of the iteration measurements (BenchmarkDotNet's statistic columns stop at P95 and P100).</summary>
internal sealed class P99Column : IColumn
{
    public static readonly P99Column Instance = new();

    public string Id => nameof(P99Column);

    public string ColumnName => "P99";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Statistics;

    public int PriorityInCategory => 10;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Time;

    public string Legend => "Percentile 99 of the iteration measurements";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (summary[benchmarkCase]?.ResultStatistics is not { } statistics)
        {
            return "NA";
        }

        var nanoseconds = Percentile.Of(statistics.OriginalValues, 99);
        return nanoseconds >= 1_000_000
            ? string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1_000_000:N3} ms")
            : string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1000:N2} us");
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

namespace FakeEtcd.Benchmarks.Report;

/// <summary>Percentiles of a sample by linear interpolation between closest ranks (as BenchmarkDotNet's P-columns).</summary>
internal static class Percentile
{
    public static double Of(IEnumerable<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = percentile / 100 * (sorted.Length - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((rank - below) * (sorted[above] - sorted[below]));
    }
}

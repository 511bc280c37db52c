using HdrHistogram;

namespace FakeEtcd.Benchmarks.Latency;

/// <summary>One recorded distribution (e.g. watch-to-activate on real etcd after a revoke), in microseconds.</summary>
internal sealed record LatencySeries(
    string Target,
    string Trigger,
    long Count,
    double MeanUs,
    double P50Us,
    double P90Us,
    double P95Us,
    double P99Us,
    double P999Us,
    double MaxUs,
    IReadOnlyList<LatencyPoint> Distribution,
    FailoverSteps? StepsP50)
{
    /// <summary>Summarizes a histogram recorded in nanoseconds.</summary>
    public static LatencySeries From(string target, string trigger, HistogramBase histogram, FailoverSteps? stepsP50 = null)
    {
        double Us(long nanoseconds) => nanoseconds / 1000.0;
        var distribution = histogram.Percentiles(5)
            .Select(v => new LatencyPoint(v.PercentileLevelIteratedTo, Us(v.ValueIteratedTo)))
            .ToList();
        return new LatencySeries(
            target,
            trigger,
            histogram.TotalCount,
            histogram.GetMean() / 1000,
            Us(histogram.GetValueAtPercentile(50)),
            Us(histogram.GetValueAtPercentile(90)),
            Us(histogram.GetValueAtPercentile(95)),
            Us(histogram.GetValueAtPercentile(99)),
            Us(histogram.GetValueAtPercentile(99.9)),
            Us(histogram.GetMaxValue()),
            distribution,
            stepsP50);
    }
}

/// <summary>Medians of the steps of a watch-to-activate failover (they need not add up to the total's median), in µs.</summary>
internal sealed record FailoverSteps(double TriggerToEventUs, double EventToCasUs, double CasRoundTripUs, double CasToCallbackUs)
{
    public static FailoverSteps MedianOf(IReadOnlyCollection<Failover.FailoverTiming> timings)
    {
        double Median(Func<Failover.FailoverTiming, TimeSpan> step) =>
            Report.Percentile.Of(timings.Select(t => step(t).TotalMicroseconds), 50);
        return new FailoverSteps(Median(t => t.ToEvent), Median(t => t.EventToCas), Median(t => t.Cas), Median(t => t.CasToCallback));
    }
}

/// <summary>A point of the percentile distribution: this share of samples took at most <see cref="ValueUs"/>.</summary>
internal sealed record LatencyPoint(double Percentile, double ValueUs);

/// <summary>One crash failover on real etcd's wall clock, for comparison with the virtual-clock figure.</summary>
internal sealed record CrashFailover(int TtlSeconds, double WallSeconds);

/// <summary>
/// What a virtual-clock crash failover spends its settles on: session timer callbacks fired per
/// failover during the TTL advance, and how many failovers needed settles after the advance returned.
/// </summary>
internal sealed record VirtualFailoverCost(int Runs, double SessionTimerFiringsPerFailover, int NeededExtraSettles);

/// <summary>Everything one <c>latency</c> run writes to <c>latency.json</c>.</summary>
internal sealed record LatencyRun(
    DateTimeOffset StartedUtc,
    string LoadAverageBefore,
    string LoadAverageAfter,
    int Runs,
    IReadOnlyList<LatencySeries> Series,
    CrashFailover? EtcdCrash,
    VirtualFailoverCost VirtualFailover)
{
    public const string FileName = "latency.json";
}

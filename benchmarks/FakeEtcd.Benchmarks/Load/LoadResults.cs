namespace FakeEtcd.Benchmarks.Load;

/// <summary>One <c>etcd-load -mode load</c> pass, as the generator prints it.</summary>
internal sealed record LoadPass(
    int Writers,
    int Watchers,
    int Puts,
    double PutSeconds,
    double PutsPerSecond,
    double DeliverSeconds,
    long EventsRead,
    int WatchersExact,
    double ClientCpuSeconds,
    IReadOnlyList<string> Errors);

/// <summary>One <c>etcd-load -mode fanout</c> run, as the generator prints it.</summary>
internal sealed record FanoutRun(
    int Watchers,
    int Connections,
    int Rounds,
    double P50Micros,
    double P90Micros,
    double P99Micros,
    double ClientCpuSeconds,
    IReadOnlyList<string> Errors);

/// <summary>One target's figures in a <c>load</c> run, as the report reads them from load.json.</summary>
internal sealed record LoadTargetSummary(
    string Target,
    double PutsPerSecond,
    double ServerCpuMsPer1000Puts,
    double ClientCpuMsPer1000Puts,
    double FanoutP50Us,
    double FanoutP99Us,
    double FanoutServerCpuMsPerPut,
    double FanoutClientCpuMsPerPut,
    bool EveryWatcherExact);

/// <summary>What <c>load</c> wrote: its settings and each target's figures.</summary>
internal sealed record LoadSummary(DateTimeOffset StartedUtc, int Puts, int Passes, int FanoutWatchers, IReadOnlyList<LoadTargetSummary> Targets)
{
    public const string FileName = "load.json";

    public LoadTargetSummary? this[string target] => Targets.FirstOrDefault(t => t.Target == target);
}

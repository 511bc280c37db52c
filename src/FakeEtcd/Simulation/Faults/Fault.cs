using System.Text.Json.Serialization;
using FakeEtcd.Clock;

namespace FakeEtcd.Simulation.Faults;

/// <summary>
/// One fault as data: what, for whom (a client name, or every client when <see cref="Client"/> is
/// null), when (a virtual instant or the commit of a revision) and for how long.
/// </summary>
public sealed record Fault
{
    /// <summary>What goes wrong.</summary>
    public required FaultKind Kind { get; init; }

    /// <summary>Virtual time since the clock started at which the fault starts (used when <see cref="AtRevision"/> is not set).</summary>
    public TimeSpan At { get; init; }

    /// <summary>Start when this revision commits instead of at <see cref="At"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? AtRevision { get; init; }

    /// <summary>The client it affects; null: every client.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Client { get; init; }

    /// <summary>How long a lasting fault lasts before it heals; zero: it never heals. Ignored by instant faults.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>For <see cref="FaultKind.DelayKeepAlives"/> and <see cref="FaultKind.DelayWatch"/>: how late.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>For <see cref="FaultKind.Partition"/>: fail or hang.</summary>
    public PartitionMode Mode { get; init; }

    /// <summary>For <see cref="FaultKind.FailRequest"/>: which matching request fails (1 = the first after the fault starts).</summary>
    public int Nth { get; init; } = 1;

    /// <summary>For <see cref="FaultKind.FailRequest"/>: the method it matches (e.g. "Txn", "LeaseGrant"); null: any unary etcd call.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Method { get; init; }

    /// <summary>For <see cref="FaultKind.FailRequest"/>: the error.</summary>
    public InjectedError Error { get; init; }

    /// <summary>For <see cref="FaultKind.Compact"/>: the revision (0: the current one).</summary>
    public long CompactRevision { get; init; }

    /// <summary>Whether the fault happens once and has nothing to heal.</summary>
    [JsonIgnore]
    public bool IsInstant => Kind is FaultKind.SeverStreams or FaultKind.Compact or FaultKind.LeaderChange;

    /// <summary>A one-line description for the history.</summary>
    public string Describe()
    {
        var who = Client ?? "*";
        var what = Kind switch
        {
            FaultKind.Partition => $"Partition({Mode})",
            FaultKind.DelayKeepAlives or FaultKind.DelayWatch => $"{Kind}({Delay.TotalSeconds:0.###}s)",
            FaultKind.FailRequest => $"FailRequest(#{Nth} {Method ?? "any"} -> {Error})",
            FaultKind.Compact => $"Compact({(CompactRevision == 0 ? "current" : CompactRevision)})",
            _ => Kind.ToString(),
        };
        var when = AtRevision is { } revision ? $"at rev {revision}" : $"at {HistoryTime(At)}";
        var length = IsInstant ? string.Empty : Duration == TimeSpan.Zero ? " forever" : $" for {Duration.TotalSeconds:0.###}s";
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{what} on {who} {when}{length}");
    }

    private static string HistoryTime(TimeSpan at) => VirtualTimeText.Format(at);
}

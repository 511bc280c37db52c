using System.Globalization;
using System.Text;
using FakeEtcd.Clock;

namespace FakeEtcd.Simulation.History;

/// <summary>
/// One thing that happened on the server, stamped with virtual time (never wall time), the client it
/// is attributed to and the revision at that moment, so the same run renders byte-identical text.
/// </summary>
public sealed record HistoryEntry
{
    /// <summary>Position in the history (0-based), in the order the server recorded it; stamped when recorded.</summary>
    public long Sequence { get; init; }

    /// <summary>Virtual time since the clock started; stamped when recorded.</summary>
    public TimeSpan At { get; init; }

    /// <summary>The client name (<c>server</c> for the server's own work, <c>anonymous</c> for unnamed clients).</summary>
    public required string Client { get; init; }

    /// <summary>What happened.</summary>
    public required HistoryKind Kind { get; init; }

    /// <summary>The key space revision (the committed one for <see cref="HistoryKind.Commit"/>, the header revision for responses).</summary>
    public long Revision { get; init; }

    /// <summary>Short, deterministic description (method, keys, result).</summary>
    public string Detail { get; init; } = string.Empty;

    /// <summary>The lease concerned, if any.</summary>
    public long LeaseId { get; init; }

    /// <summary>The stream concerned, as <c>client#n</c> (n counts that client's streams from 1).</summary>
    public string? Stream { get; init; }

    /// <summary>The watch id on <see cref="Stream"/>.</summary>
    public long WatchId { get; init; }

    /// <summary>For <see cref="HistoryKind.WatchCreated"/>: the watched key.</summary>
    public string? Key { get; init; }

    /// <summary>For <see cref="HistoryKind.WatchCreated"/>: the range end (empty: one key; "\0": everything from <see cref="Key"/>).</summary>
    public string? RangeEnd { get; init; }

    /// <summary>For <see cref="HistoryKind.WatchCreated"/>: the requested start revision (0: from now).</summary>
    public long StartRevision { get; init; }

    /// <summary>For <see cref="HistoryKind.Request"/> and <see cref="HistoryKind.Response"/>: the unary call both belong to (0: none). Not part of the text.</summary>
    public long Call { get; init; }

    /// <summary>For <see cref="HistoryKind.FaultStarted"/> and <see cref="HistoryKind.FaultHealed"/>: the fault (its text is in <see cref="Detail"/>).</summary>
    public Faults.Fault? Fault { get; init; }

    /// <summary>The key changes of a commit or a watch delivery.</summary>
    public IReadOnlyList<HistoryEvent> Events { get; init; } = [];

    /// <summary>One line: <c>sequence time client kind rev=N detail</c>.</summary>
    public override string ToString()
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{Sequence,5} {FormatTime(At)} {Client,-10} {Kind,-16} rev={Revision}");
        if (Stream is not null)
        {
            line.Append(CultureInfo.InvariantCulture, $" stream={Stream}");
        }

        if (Kind is HistoryKind.WatchCreated or HistoryKind.WatchDelivered or HistoryKind.WatchEnded)
        {
            line.Append(CultureInfo.InvariantCulture, $" watch={WatchId}");
        }

        if (LeaseId != 0)
        {
            line.Append(CultureInfo.InvariantCulture, $" lease={LeaseId:x}");
        }

        if (Detail.Length > 0)
        {
            line.Append(' ').Append(Detail);
        }

        if (Events.Count > 0)
        {
            line.Append(" [").AppendJoin(", ", Events).Append(']');
        }

        return line.ToString();
    }

    /// <summary>Virtual time as seconds with millisecond precision, e.g. <c>t=60.000s</c>.</summary>
    public static string FormatTime(TimeSpan at) => VirtualTimeText.Format(at);
}

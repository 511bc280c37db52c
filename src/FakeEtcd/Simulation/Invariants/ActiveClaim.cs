using FakeEtcd.Simulation.History;

namespace FakeEtcd.Simulation.Invariants;

/// <summary>
/// One session's belief that it holds a role: from its "active" note to its "ended" note (its step-down),
/// next to the server's view of the same claim, which ends with its lease (expiry or revoke).
/// </summary>
/// <param name="Client">The session's client.</param>
/// <param name="ServerName">The role.</param>
/// <param name="LeaseId">The lease it held the role on.</param>
/// <param name="Start">The "active" note.</param>
/// <param name="SteppedDown">The session's "ended" note, if it noted one.</param>
/// <param name="LeaseEnd">The entry that ended the lease on the server, if it did.</param>
public sealed record ActiveClaim(string Client, string ServerName, long LeaseId, HistoryEntry Start, HistoryEntry? SteppedDown, HistoryEntry? LeaseEnd)
{
    /// <summary>The sequence at which the claim ended, its step-down or its lease's end, whichever came first (<see cref="long.MaxValue"/>: still open).</summary>
    public long End => FirstEnd?.Sequence ?? long.MaxValue;

    /// <summary>Virtual time of <see cref="End"/> (<see cref="TimeSpan.MaxValue"/>: still open).</summary>
    public TimeSpan EndedAt => FirstEnd?.At ?? TimeSpan.MaxValue;

    private HistoryEntry? FirstEnd => new[] { SteppedDown, LeaseEnd }.Where(e => e is not null).MinBy(e => e!.Sequence);

    /// <summary>
    /// Whether <paramref name="later"/> (which started after this claim) began while this session still
    /// believed it was active. A step-down at the very instant the successor starts is a clean handover
    /// when the server had already ended this claim's lease: an RPC takes no virtual time, so the session
    /// that steps down at its deadline and the standby that takes over at the lease's end meet at one instant.
    /// </summary>
    public bool StillBelievedWhenStarted(ActiveClaim later)
    {
        ArgumentNullException.ThrowIfNull(later);
        return NotedSpan.StillOpen(SteppedDown, LeaseEnd, later.Start, static _ => true);
    }

    /// <summary>Every claim in the history, in start order.</summary>
    public static IReadOnlyList<ActiveClaim> From(IReadOnlyList<HistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return [.. NotedSpan.From(history, SessionNotes.Active, SessionNotes.Ended)
            .Select(s => new ActiveClaim(s.Start.Client, s.Start.Key!, s.Start.LeaseId, s.Start, s.End, s.LeaseEnd))];
    }
}

using FakeEtcd.Simulation.History;

namespace FakeEtcd.Simulation.Invariants;

/// <summary>
/// One session's belief that it holds a role, from its "active" note until it noted its end or its
/// lease ended on the server, whichever came first (history sequence numbers; <see cref="long.MaxValue"/>: still open).
/// </summary>
/// <param name="Client">The session's client.</param>
/// <param name="ServerName">The role.</param>
/// <param name="LeaseId">The lease it held the role on.</param>
/// <param name="Start">The "active" note.</param>
/// <param name="End">The sequence at which the claim ended.</param>
/// <param name="EndedAt">Virtual time of the end (<see cref="TimeSpan.MaxValue"/>: still open).</param>
/// <param name="LeaseEnd">The entry that ended the lease on the server, if it did.</param>
public sealed record ActiveClaim(string Client, string ServerName, long LeaseId, HistoryEntry Start, long End, TimeSpan EndedAt, HistoryEntry? LeaseEnd)
{
    /// <summary>Whether two claims overlap (half-open intervals of the history order).</summary>
    public bool Overlaps(ActiveClaim other) => Start.Sequence < other.End && other.Start.Sequence < End;

    /// <summary>Every claim in the history, in start order.</summary>
    public static IReadOnlyList<ActiveClaim> From(IReadOnlyList<HistoryEntry> history)
    {
        var claims = new List<ActiveClaim>();
        foreach (var start in history.Where(e => e.Kind == HistoryKind.Note && e.Detail == SessionNotes.Active))
        {
            var ended = history.FirstOrDefault(e => e.Sequence > start.Sequence && e.Kind == HistoryKind.Note
                && e.Client == start.Client && e.Key == start.Key && e.Detail == SessionNotes.Ended);
            var leaseEnd = history.FirstOrDefault(e => e.Sequence > start.Sequence && e.LeaseId == start.LeaseId
                && e.Kind is HistoryKind.LeaseExpired or HistoryKind.LeaseRevoked);
            var end = new[] { ended, leaseEnd }.Where(e => e is not null).MinBy(e => e!.Sequence);
            claims.Add(new ActiveClaim(start.Client, start.Key!, start.LeaseId, start, end?.Sequence ?? long.MaxValue, end?.At ?? TimeSpan.MaxValue, leaseEnd));
        }

        return claims;
    }
}

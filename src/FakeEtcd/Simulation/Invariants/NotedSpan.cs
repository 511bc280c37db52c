using FakeEtcd.Simulation.History;

namespace FakeEtcd.Simulation.Invariants;

/// <summary>
/// What a session notes as lasting: from a start note to the same session's end note for the same role,
/// next to the server's end of the lease it was noted on (expiry or revoke).
/// </summary>
internal readonly record struct NotedSpan(HistoryEntry Start, HistoryEntry? End, HistoryEntry? LeaseEnd)
{
    public static IEnumerable<NotedSpan> From(IReadOnlyList<HistoryEntry> history, string startNote, string endNote)
    {
        foreach (var start in history.Where(e => e.Kind == HistoryKind.Note && e.Detail == startNote))
        {
            var end = history.FirstOrDefault(e => e.Sequence > start.Sequence && e.Kind == HistoryKind.Note
                && e.Client == start.Client && e.Key == start.Key && e.Detail == endNote);
            var leaseEnd = history.FirstOrDefault(e => e.Sequence > start.Sequence && e.LeaseId == start.LeaseId
                && e.Kind is HistoryKind.LeaseExpired or HistoryKind.LeaseRevoked);
            yield return new NotedSpan(start, end, leaseEnd);
        }
    }

    /// <summary>
    /// Whether the span was still open when <paramref name="laterStart"/> was noted. Ending at that very
    /// instant is excused when the server had ended the lease before it in a way <paramref name="fences"/> accepts.
    /// </summary>
    public static bool StillOpen(HistoryEntry? end, HistoryEntry? leaseEnd, HistoryEntry laterStart, Func<HistoryEntry, bool> fences)
    {
        if (end is null)
        {
            return true;
        }

        if (end.Sequence < laterStart.Sequence)
        {
            return false;
        }

        var fenced = leaseEnd is not null && leaseEnd.Sequence < laterStart.Sequence && fences(leaseEnd);
        return !(fenced && end.At == laterStart.At);
    }
}

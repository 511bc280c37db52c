using FakeEtcd.Simulation.History;

namespace FakeEtcd.Simulation.Invariants;

/// <summary>
/// One active's work: from its "work-started" note (the activation entered) to its "work-ended" note
/// (the activation returned), next to the end of the lease it held the role on.
/// </summary>
/// <param name="Client">The session's client.</param>
/// <param name="ServerName">The role.</param>
/// <param name="LeaseId">The lease it held the role on.</param>
/// <param name="Start">The "work-started" note.</param>
/// <param name="Stopped">The "work-ended" note, if the work stopped within the history.</param>
/// <param name="LeaseEnd">The entry that ended the lease on the server, if it did.</param>
public sealed record ActiveWork(string Client, string ServerName, long LeaseId, HistoryEntry Start, HistoryEntry? Stopped, HistoryEntry? LeaseEnd)
{
    /// <summary>
    /// Whether <paramref name="later"/> (which started after this work) began while this work still ran.
    /// Work that stops at the very instant the successor's starts is a clean handover when the server had
    /// already ended this lease: an RPC takes no virtual time, so an active whose lease ran out stops at
    /// its deadline, the instant the standby takes over. A graceful stop is never excused: its revoke
    /// waits for the work, so a successor can only start after the work stopped.
    /// </summary>
    public bool StillRunningWhenStarted(ActiveWork later)
    {
        ArgumentNullException.ThrowIfNull(later);
        return NotedSpan.StillOpen(Stopped, LeaseEnd, later.Start, static end => end.Kind == HistoryKind.LeaseExpired);
    }

    /// <summary>Every piece of work in the history, in start order.</summary>
    public static IReadOnlyList<ActiveWork> From(IReadOnlyList<HistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return [.. NotedSpan.From(history, SessionNotes.WorkStarted, SessionNotes.WorkEnded)
            .Select(s => new ActiveWork(s.Start.Client, s.Start.Key!, s.Start.LeaseId, s.Start, s.End, s.LeaseEnd))];
    }
}

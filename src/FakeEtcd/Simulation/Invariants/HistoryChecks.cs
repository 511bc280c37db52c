using FakeEtcd.Simulation.History;

namespace FakeEtcd.Simulation.Invariants;

/// <summary>
/// Invariants judged from a recorded history alone: single active per role, no overlapping work per role,
/// actives that step down by their lease's deadline, bounded failover, watch
/// delivery (each committed revision once, in order) and linearizable single-key reads. Each returns the violations it finds.
/// </summary>
public static class HistoryChecks
{
    /// <summary>Every check; <paramref name="failover"/> bounds how soon a standby takes over.</summary>
    public static IReadOnlyList<Violation> All(IReadOnlyList<HistoryEntry> history, FailoverBound failover) =>
        [.. SingleActive(history), .. NoOverlappingWork(history), .. ActivesStepDownByTheirDeadline(history), .. FailoverWithin(history, failover), .. WatchersSawEveryRevisionInOrder(history), .. ReadsAreLinearizable(history)];

    /// <summary>
    /// Single-key registers: every read of one key at the latest revision is not older than what had
    /// committed when it was sent and returns exactly the key's state at its revision (see the commits).
    /// </summary>
    public static IReadOnlyList<Violation> ReadsAreLinearizable(IReadOnlyList<HistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return [.. LinearizableReads.Check(history)];
    }

    /// <summary>
    /// At most one session believes it is active per role at any point of the history. A claim lasts
    /// from the session's "active" note to its "ended" note — what the session believes, whatever its
    /// lease does meanwhile — so an active that goes on believing after its lease ended overlaps its
    /// successor. A step-down at the instant the successor starts, after the server ended the old lease,
    /// is a clean handover (see <see cref="ActiveClaim.StillBelievedWhenStarted"/>).
    /// </summary>
    public static IReadOnlyList<Violation> SingleActive(IReadOnlyList<HistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var violations = new List<Violation>();
        foreach (var (a, b) in SameRolePairs(ActiveClaim.From(history), c => c.ServerName))
        {
            if (a.StillBelievedWhenStarted(b))
            {
                violations.Add(new Violation(
                    nameof(SingleActive),
                    b.Start.Sequence,
                    $"{b.Client} became active for {b.ServerName} at {HistoryEntry.FormatTime(b.Start.At)} while {a.Client} "
                    + $"(active since {HistoryEntry.FormatTime(a.Start.At)}, lease {a.LeaseId:x}) still held it"));
            }
        }

        return violations;
    }

    /// <summary>
    /// At most one active's work runs per role at any point of the history: each session's work, from its
    /// activation's start to its return (as the sessions note it), ends before a successor's begins. It
    /// judges what the actives do, not what they believe: an active that marks itself stopped and releases
    /// its lease while its work still winds down (a revoke before the work stopped) breaks it. A stop at the
    /// instant the successor starts, after the old lease expired, is a clean handover (see
    /// <see cref="ActiveWork.StillRunningWhenStarted"/>).
    /// </summary>
    public static IReadOnlyList<Violation> NoOverlappingWork(IReadOnlyList<HistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var violations = new List<Violation>();
        foreach (var (a, b) in SameRolePairs(ActiveWork.From(history), w => w.ServerName))
        {
            if (a.StillRunningWhenStarted(b))
            {
                var until = a.Stopped is null ? "had not stopped" : "stopped only at " + HistoryEntry.FormatTime(a.Stopped.At);
                violations.Add(new Violation(
                    nameof(NoOverlappingWork),
                    b.Start.Sequence,
                    $"{b.Client} started work as {b.ServerName} at {HistoryEntry.FormatTime(b.Start.At)} while {a.Client}'s work "
                    + $"(since {HistoryEntry.FormatTime(a.Start.At)}, lease {a.LeaseId:x}) {until}"));
            }
        }

        return violations;
    }

    /// <summary>
    /// Every active steps down no later than its lease's deadline as the active itself could know it:
    /// the TTL after its last keepalive answered (or its grant). A leader change that extends the lease
    /// on the server extends nothing here: the active does not see it. An active that never steps down
    /// breaks this once the history runs past that deadline.
    /// </summary>
    public static IReadOnlyList<Violation> ActivesStepDownByTheirDeadline(IReadOnlyList<HistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var violations = new List<Violation>();
        var historyEnd = history.Count == 0 ? TimeSpan.Zero : history[^1].At;
        foreach (var claim in ActiveClaim.From(history))
        {
            var until = claim.SteppedDown?.Sequence ?? history.Count;
            if (LeaseDeadline.Before(history, claim.LeaseId, until, withLeaderChanges: false) is not var (due, renewal))
            {
                continue;
            }

            if (claim.SteppedDown is { } down && down.At > due)
            {
                violations.Add(new Violation(nameof(ActivesStepDownByTheirDeadline), down.Sequence,
                    $"{claim.Client} stepped down as active for {claim.ServerName} at {HistoryEntry.FormatTime(down.At)}, after its lease {claim.LeaseId:x} was due at {HistoryEntry.FormatTime(due)} ({renewal})"));
            }
            else if (claim.SteppedDown is null && historyEnd > due)
            {
                violations.Add(new Violation(nameof(ActivesStepDownByTheirDeadline), claim.Start.Sequence,
                    $"{claim.Client} still believed it was active for {claim.ServerName} at {HistoryEntry.FormatTime(historyEnd)}, past its lease {claim.LeaseId:x}'s deadline {HistoryEntry.FormatTime(due)} ({renewal})"));
            }
        }

        return violations;
    }

    /// <summary>
    /// Every active's lease ends exactly when the history says it is due — its TTL after its last
    /// keepalive (or grant, or leader change) — unless revoked first; and then some standby of the role
    /// takes over within <see cref="FailoverBound.Round"/> of that instant, later only as far as faults on
    /// the standbys push it (see <see cref="FailoverBound"/>). Standbys that registered after the end or
    /// had ended themselves by their due time are not waited for.
    /// </summary>
    public static IReadOnlyList<Violation> FailoverWithin(IReadOnlyList<HistoryEntry> history, FailoverBound bound)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(bound);
        var violations = new List<Violation>();
        var claims = ActiveClaim.From(history);
        foreach (var claim in claims.Where(c => c.LeaseEnd is not null))
        {
            var end = claim.LeaseEnd!;
            var from = end.At;
            if (end.Kind == HistoryKind.LeaseExpired && LeaseDeadline.Before(history, claim.LeaseId, end.Sequence) is var (due, renewal))
            {
                if (due != end.At)
                {
                    violations.Add(new Violation(nameof(FailoverWithin), end.Sequence,
                        $"{claim.ServerName}: lease {claim.LeaseId:x} of {claim.Client} expired at {HistoryEntry.FormatTime(end.At)}, due at {HistoryEntry.FormatTime(due)} ({renewal})"));
                }

                from = due;
            }

            var deadlines = Standbys(history, claim.ServerName)
                .Where(s => s.Client != claim.Client && s.Sequence < end.Sequence)
                .DistinctBy(s => s.Client)
                .Select(s => (Standby: s, Deadline: StandbyDeadline.For(history, s.Client, from, bound)))
                .Where(s => !EndedBefore(history, s.Standby, s.Deadline.Due))
                .ToList();
            if (deadlines.Count == 0)
            {
                continue;
            }

            var until = deadlines.Min(s => s.Deadline.Due);
            var next = claims.FirstOrDefault(c => c.ServerName == claim.ServerName && c.Start.Sequence > claim.Start.Sequence);
            if (next is not null && next.Start.At <= until)
            {
                continue;
            }

            var standbys = deadlines.Select(s => s.Standby.Client + " by " + (s.Deadline.Due == TimeSpan.MaxValue ? "never" : HistoryEntry.FormatTime(s.Deadline.Due))
                + (s.Deadline.Because.Count == 0 ? string.Empty : " (" + string.Join("; ", s.Deadline.Because) + ")"));
            violations.Add(new Violation(
                nameof(FailoverWithin),
                claim.End,
                $"{claim.ServerName}: lease {claim.LeaseId:x} of {claim.Client} ended at {HistoryEntry.FormatTime(from)} but no standby took over "
                + $"({string.Join(", ", standbys)})"
                + (next is null ? string.Empty : $"; next activation {next.Client} at {HistoryEntry.FormatTime(next.Start.At)}")));
        }

        return violations;
    }

    /// <summary>
    /// Every watcher got each committed change in its range once, in revision order, from its start
    /// revision to the end of its stream (a watcher that stops receiving, or never receives, while
    /// changes commit is a violation); see <see cref="WatchDelivery"/> for what in-flight and held events excuse.
    /// </summary>
    public static IReadOnlyList<Violation> WatchersSawEveryRevisionInOrder(IReadOnlyList<HistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return [.. WatchDelivery.Check(history)];
    }

    /// <summary>Every pair of spans of one role, the earlier-noted first.</summary>
    private static IEnumerable<(T Earlier, T Later)> SameRolePairs<T>(IReadOnlyList<T> spans, Func<T, string> role)
    {
        for (var i = 0; i < spans.Count; i++)
        {
            for (var j = i + 1; j < spans.Count; j++)
            {
                if (role(spans[i]) == role(spans[j]))
                {
                    yield return (spans[i], spans[j]);
                }
            }
        }
    }

    private static IEnumerable<HistoryEntry> Standbys(IReadOnlyList<HistoryEntry> history, string serverName) =>
        history.Where(e => e.Kind == HistoryKind.Note && e.Key == serverName && e.Detail == SessionNotes.Standby);

    private static bool EndedBefore(IReadOnlyList<HistoryEntry> history, HistoryEntry standby, TimeSpan until) =>
        history.Any(e => e.Sequence > standby.Sequence && e.At <= until && (
            (e.Kind == HistoryKind.Note && e.Client == standby.Client && e.Key == standby.Key && e.Detail == SessionNotes.Ended)
            || (e.LeaseId == standby.LeaseId && e.Kind is HistoryKind.LeaseExpired or HistoryKind.LeaseRevoked)));
}

using System.Globalization;
using FakeEtcd.Simulation.History;

namespace FakeEtcd.Simulation.Invariants;

/// <summary>
/// Invariants judged from a recorded history alone: single active per role, bounded failover, watch
/// delivery (each committed revision once, in order) and linearizable single-key reads. Each returns the violations it finds.
/// </summary>
public static class HistoryChecks
{
    /// <summary>Every check; <paramref name="failover"/> bounds how soon a standby takes over.</summary>
    public static IReadOnlyList<Violation> All(IReadOnlyList<HistoryEntry> history, FailoverBound failover) =>
        [.. SingleActive(history), .. FailoverWithin(history, failover), .. WatchersSawEveryRevisionInOrder(history), .. ReadsAreLinearizable(history)];

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
    /// from the session's "active" note to its "ended" note or the server-side end of its lease
    /// (expiry or revoke), whichever is first: past its lease end a session is not active, whatever it believes.
    /// </summary>
    public static IReadOnlyList<Violation> SingleActive(IReadOnlyList<HistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var violations = new List<Violation>();
        var claims = ActiveClaim.From(history);
        for (var i = 0; i < claims.Count; i++)
        {
            for (var j = i + 1; j < claims.Count; j++)
            {
                var (a, b) = (claims[i], claims[j]);
                if (a.ServerName == b.ServerName && a.Overlaps(b))
                {
                    violations.Add(new Violation(
                        nameof(SingleActive),
                        b.Start.Sequence,
                        $"{b.Client} became active for {b.ServerName} at {HistoryEntry.FormatTime(b.Start.At)} while {a.Client} "
                        + $"(active since {HistoryEntry.FormatTime(a.Start.At)}, lease {a.LeaseId:x}) still held it"));
                }
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
    /// Every watcher got each committed revision that touches its range at most once, in revision order,
    /// and none is missing between its start revision and the last revision it was delivered (a
    /// compaction cancel ends the check for that watcher).
    /// </summary>
    public static IReadOnlyList<Violation> WatchersSawEveryRevisionInOrder(IReadOnlyList<HistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var violations = new List<Violation>();
        var commits = history.Where(e => e.Kind == HistoryKind.Commit).ToList();
        foreach (var created in history.Where(e => e.Kind == HistoryKind.WatchCreated))
        {
            var from = created.StartRevision > 0 ? created.StartRevision : created.Revision + 1;
            var seen = new List<HistoryEvent>();
            var name = $"watcher {created.Stream}/{created.WatchId.ToString(CultureInfo.InvariantCulture)} on {created.Key}";
            foreach (var delivery in history.Where(e => e.Kind == HistoryKind.WatchDelivered && e.Stream == created.Stream
                && e.WatchId == created.WatchId && e.Sequence > created.Sequence))
            {
                foreach (var change in delivery.Events)
                {
                    if (seen.Count > 0 && (change.Revision < seen[^1].Revision || seen.Any(s => s.Revision == change.Revision && s.Key == change.Key)))
                    {
                        violations.Add(new Violation(nameof(WatchersSawEveryRevisionInOrder), delivery.Sequence,
                            $"{name} got {change} after {seen[^1]} (duplicate or out of order)"));
                    }

                    seen.Add(change);
                }

                if (delivery.Detail.StartsWith("canceled", StringComparison.Ordinal))
                {
                    break;
                }
            }

            if (seen.Count == 0)
            {
                continue;
            }

            var last = seen[^1].Revision;
            var expected = commits.Where(c => c.Revision >= from && c.Revision <= last)
                .SelectMany(c => c.Events).Where(e => InRange(created, e.Key));
            foreach (var missing in expected.Where(e => !seen.Any(s => s.Revision == e.Revision && s.Key == e.Key)))
            {
                violations.Add(new Violation(nameof(WatchersSawEveryRevisionInOrder), created.Sequence, $"{name} never got {missing}"));
            }
        }

        return violations;
    }

    private static bool InRange(HistoryEntry watch, string key) => watch.RangeEnd switch
    {
        null or "" => key == watch.Key,
        "\0" => string.CompareOrdinal(key, watch.Key) >= 0,
        var end => string.CompareOrdinal(key, watch.Key) >= 0 && string.CompareOrdinal(key, end) < 0,
    };

    private static IEnumerable<HistoryEntry> Standbys(IReadOnlyList<HistoryEntry> history, string serverName) =>
        history.Where(e => e.Kind == HistoryKind.Note && e.Key == serverName && e.Detail == SessionNotes.Standby);

    private static bool EndedBefore(IReadOnlyList<HistoryEntry> history, HistoryEntry standby, TimeSpan until) =>
        history.Any(e => e.Sequence > standby.Sequence && e.At <= until && (
            (e.Kind == HistoryKind.Note && e.Client == standby.Client && e.Key == standby.Key && e.Detail == SessionNotes.Ended)
            || (e.LeaseId == standby.LeaseId && e.Kind is HistoryKind.LeaseExpired or HistoryKind.LeaseRevoked)));
}

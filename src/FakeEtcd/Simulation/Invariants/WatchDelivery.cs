using System.Globalization;
using FakeEtcd.Simulation.Faults;
using FakeEtcd.Simulation.History;

namespace FakeEtcd.Simulation.Invariants;

/// <summary>
/// Every watcher gets each committed change in its range (and filters) once, in revision order, from
/// its start revision to the end of its stream. A settle delivers every event before the clock moves
/// on, so a change committed at an earlier instant than the watcher's end must have arrived; one
/// committed at the instant the watcher ended may still have been in flight, and one held back by a
/// fault (a delayed watch, a hung partition, a paused server) is excused when the hold outlasted the
/// watcher. A compaction cancel ends the check at the last delivered revision.
/// </summary>
internal static class WatchDelivery
{
    private const string Name = nameof(HistoryChecks.WatchersSawEveryRevisionInOrder);

    public static IEnumerable<Violation> Check(IReadOnlyList<HistoryEntry> history)
    {
        var commits = history.Where(e => e.Kind == HistoryKind.Commit).ToList();
        var holds = Holds(history);
        var historyEnd = history.Count == 0 ? TimeSpan.Zero : history[^1].At;
        foreach (var created in history.Where(e => e.Kind == HistoryKind.WatchCreated))
        {
            var from = created.StartRevision > 0 ? created.StartRevision : created.Revision + 1;
            var name = $"watcher {created.Stream}/{created.WatchId.ToString(CultureInfo.InvariantCulture)} on {created.Key}";
            var seen = new List<HistoryEvent>();
            HistoryEntry? ended = null;
            var compacted = false;
            foreach (var entry in history.Where(e => e.Sequence > created.Sequence && e.Stream == created.Stream && e.WatchId == created.WatchId
                && e.Kind is HistoryKind.WatchDelivered or HistoryKind.WatchEnded))
            {
                if (entry.Kind == HistoryKind.WatchEnded)
                {
                    ended = entry;
                    break;
                }

                foreach (var change in entry.Events)
                {
                    if (seen.Count > 0 && (change.Revision < seen[^1].Revision || seen.Any(s => s.Revision == change.Revision && s.Key == change.Key)))
                    {
                        yield return new Violation(Name, entry.Sequence, $"{name} got {change} after {seen[^1]} (duplicate or out of order)");
                    }

                    seen.Add(change);
                }

                if (entry.Detail.StartsWith("canceled", StringComparison.Ordinal))
                {
                    compacted = true;
                    break;
                }
            }

            var lastSeen = seen.Count == 0 ? 0 : seen[^1].Revision;
            var end = ended?.At ?? historyEnd;
            var expected = commits
                .Where(c => c.Revision >= from && (c.Revision <= lastSeen || (!compacted && (ended is null || c.At < ended.At))))
                .SelectMany(c => c.Events.Select(e => (Commit: c, Event: e)))
                .Where(c => InRange(created, c.Event.Key) && PassesFilters(created, c.Event))
                .Where(c => c.Event.Revision <= lastSeen || !holds.Any(h => h.Holds(created.Client, c.Commit.At, end)));
            foreach (var (_, missing) in expected.Where(c => !seen.Any(s => s.Revision == c.Event.Revision && s.Key == c.Event.Key)))
            {
                yield return new Violation(Name, created.Sequence, $"{name} never got {missing}"
                    + (ended is null ? string.Empty : $" (its stream ended at {HistoryEntry.FormatTime(ended.At)})"));
            }
        }
    }

    private static bool InRange(HistoryEntry watch, string key) => watch.RangeEnd switch
    {
        null or "" => key == watch.Key,
        "\0" => string.CompareOrdinal(key, watch.Key) >= 0,
        var end => string.CompareOrdinal(key, watch.Key) >= 0 && string.CompareOrdinal(key, end) < 0,
    };

    // The simulation records a watcher's filters in its creation detail ("from N noput nodelete").
    private static bool PassesFilters(HistoryEntry watch, HistoryEvent change) =>
        !(change.Type == "PUT" && watch.Detail.Contains(" noput", StringComparison.Ordinal))
        && !(change.Type == "DELETE" && watch.Detail.Contains(" nodelete", StringComparison.Ordinal));

    /// <summary>The faults that hold watch events back, with the span they hold them for.</summary>
    private static List<Hold> Holds(IReadOnlyList<HistoryEntry> history)
    {
        var holds = new List<Hold>();
        foreach (var started in history.Where(e => e.Kind == HistoryKind.FaultStarted && e.Fault is not null))
        {
            var fault = started.Fault!;
            var holdsEvents = fault.Kind is FaultKind.DelayWatch or FaultKind.PauseServer
                || (fault.Kind == FaultKind.Partition && fault.Mode == PartitionMode.Hang);
            if (!holdsEvents)
            {
                continue;
            }

            var healed = history.FirstOrDefault(e => e.Kind == HistoryKind.FaultHealed && e.Sequence > started.Sequence && Equals(e.Fault, fault));
            holds.Add(new Hold(fault, started.At, healed?.At ?? TimeSpan.MaxValue));
        }

        return holds;
    }

    /// <summary>A fault that holds a client's watch events from <paramref name="From"/> until <paramref name="Until"/> (a delay: each event by <see cref="Fault.Delay"/>).</summary>
    private sealed record Hold(Fault Fault, TimeSpan From, TimeSpan Until)
    {
        /// <summary>Whether an event for <paramref name="client"/> committed at <paramref name="at"/> could still be held when its watcher ended at <paramref name="end"/>.</summary>
        public bool Holds(string client, TimeSpan at, TimeSpan end)
        {
            if (Fault.Client is { } target && target != client || at < From || at >= Until)
            {
                return false;
            }

            var release = Fault.Kind == FaultKind.DelayWatch ? at + Fault.Delay : Until;
            return release >= end;
        }
    }
}

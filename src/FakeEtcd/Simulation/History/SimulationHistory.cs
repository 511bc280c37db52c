using System.Text;

namespace FakeEtcd.Simulation.History;

/// <summary>
/// Everything a simulated server did, in the order it did it: requests and responses per client,
/// commits in apply order, lease grants and expiries, keepalives, watch creations and deliveries,
/// faults and notes. Entries carry virtual time and client names only, so two runs of the same seed
/// render the same text byte for byte. Thread-safe.
/// </summary>
public sealed class SimulationHistory
{
    private readonly Lock _gate = new();
    private readonly List<HistoryEntry> _entries = [];
    private readonly List<HistoryEntry> _endOfInstant = [];
    private readonly TimeProvider _clock;
    private readonly DateTimeOffset _start;
    private readonly Func<long> _revision;

    internal SimulationHistory(TimeProvider clock, Func<long> revision)
    {
        _clock = clock;
        _start = clock is VirtualClock virtualClock ? virtualClock.GetUtcNow() - virtualClock.Elapsed : clock.GetUtcNow();
        _revision = revision;
    }

    /// <summary>A snapshot of the entries so far.</summary>
    public IReadOnlyList<HistoryEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                FlushEndOfInstant();
                return [.. _entries];
            }
        }
    }

    /// <summary>Virtual time since the clock started.</summary>
    public TimeSpan Now => _clock.GetUtcNow() - _start;

    /// <summary>Adds a note attributed to <paramref name="client"/> (e.g. what a session under test did).</summary>
    public void Note(string client, string detail, long leaseId = 0) =>
        Record(new HistoryEntry { Client = client, Kind = HistoryKind.Note, Detail = detail, LeaseId = leaseId });

    /// <summary>
    /// Records a session's role change for the invariant checks: <paramref name="state"/> is
    /// <see cref="SessionNotes.Standby"/>, <see cref="SessionNotes.Active"/> or <see cref="SessionNotes.Ended"/>
    /// for the role <paramref name="serverName"/>, held on <paramref name="leaseId"/>; or where its work as the
    /// active starts and stops (<see cref="SessionNotes.WorkStarted"/>, <see cref="SessionNotes.WorkEnded"/>).
    /// </summary>
    public void NoteSession(string client, string serverName, string state, long leaseId) =>
        Record(new HistoryEntry { Client = client, Kind = HistoryKind.Note, Key = serverName, Detail = state, LeaseId = leaseId });

    /// <summary>The history as text, one entry a line.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var entry in Entries)
        {
            text.Append(entry.ToString()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Appends an entry; sequence, time and (unless set) revision are stamped here.</summary>
    internal void Record(HistoryEntry entry)
    {
        var revision = entry.Revision != 0 ? entry.Revision : _revision();
        var now = Now;
        lock (_gate)
        {
            if (_endOfInstant.Count > 0 && now > _endOfInstant[0].At)
            {
                FlushEndOfInstant();
            }

            _entries.Add(entry with { Sequence = _entries.Count, At = now, Revision = revision });
        }
    }

    /// <summary>
    /// Records an entry whose place among the instant's other entries would depend on thread timing
    /// (the server's side of a client closing a stream): it is appended once the instant is over —
    /// before the first entry of a later instant, or when <see cref="Entries"/> is read — ordered by
    /// stream and watch id and stamped with the revision the history reached by then, so the text
    /// stays the same run after run.
    /// </summary>
    internal void RecordAtEndOfInstant(HistoryEntry entry)
    {
        var now = Now;
        var revision = entry.Revision != 0 ? entry.Revision : _revision();
        lock (_gate)
        {
            if (_endOfInstant.Count > 0 && now > _endOfInstant[0].At)
            {
                FlushEndOfInstant();
            }

            _endOfInstant.Add(entry with { At = now, Revision = revision });
        }
    }

    private void FlushEndOfInstant()
    {
        // As of the end of their instant: the revision the history reached by then, not the one a
        // concurrent commit at the same instant may or may not have reached when each was seen.
        var reached = _entries.Count > 0 ? _entries[^1].Revision : (long?)null;
        foreach (var entry in _endOfInstant.OrderBy(e => e.Stream, StringComparer.Ordinal).ThenBy(e => e.WatchId))
        {
            _entries.Add(entry with { Sequence = _entries.Count, Revision = Math.Max(reached ?? entry.Revision, entry.Revision) });
        }

        _endOfInstant.Clear();
    }
}

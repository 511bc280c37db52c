using EtcdProtocol.Etcdserverpb;
using EtcdProtocol.Mvccpb;
using FakeEtcd.Apply;
using FakeEtcd.Cluster;
using FakeEtcd.Mvcc;
using Google.Protobuf;

namespace FakeEtcd.Watch;

/// <summary>
/// The watchable store (etcd's watchableStore): every watcher of every stream, fed from the apply
/// path. Synced watchers get each committed revision as it commits; unsynced ones (new watchers with
/// a past start revision, and watchers whose stream was full) catch up from the revision log. Every
/// method runs under the apply lock, so registration, catch-up and live delivery never interleave:
/// nothing is lost, duplicated or reordered, and writers never wait for a reader.
/// </summary>
internal sealed class WatchHub
{
    /// <summary>etcd's watchBatchMaxRevs: the most distinct revisions in one catch-up response.</summary>
    public const int MaxRevisionsPerCatchUp = 1000;

    private static readonly ByteString LowestKey = ByteString.CopyFrom(0);

    private readonly Applier _applier;
    private readonly WatcherIndex _synced = new();
    private readonly List<Watcher> _matches = [];
    private readonly List<Watcher> _touched = [];
    private readonly Dictionary<Event, Event> _plainCopies = new(ReferenceEqualityComparer.Instance);

    private readonly IWatchDeliveryGate? _gate;
    private readonly IWatchObserver? _observer;
    private readonly EtcdProfile _profile;
    private readonly List<WatchSession> _heldSessions = [];

    public WatchHub(Applier applier, EtcdProfile? profile = null, IWatchDeliveryGate? gate = null, IWatchObserver? observer = null)
    {
        _applier = applier;
        _gate = gate;
        _observer = observer;
        _profile = profile ?? EtcdProfile.Etcd35;
        applier.Committed += OnCommitted;
    }

    /// <summary>A stream is writing <paramref name="response"/>: tells the observer, if any.</summary>
    public void Delivered(WatchSession session, WatchResponse response) => _observer?.Delivered(session, response);

    /// <summary>Synced watchers across all streams (for tests and diagnostics).</summary>
    public int SyncedCount => _applier.WithHistory(_ => _synced.Count);

    /// <summary>Handles a create request: exactly one created response, then history if it starts in the past.</summary>
    public void Create(WatchSession session, WatchCreateRequest request) => _applier.WithHistory(history =>
    {
        var current = history.CurrentRevision;
        var key = request.Key.IsEmpty ? LowestKey : request.Key;
        var end = request.RangeEnd;
        var range = new KeyRange(key, end);
        long id = request.WatchId;
        string? rejection = null;
        if (request.StartRevision < 0 && _profile.RejectsNegativeStartRevision)
        {
            rejection = WatchResponses.NegativeStartReason;
        }
        else if (!end.IsEmpty && !range.IsUnboundedAbove && KeyComparer.CompareKeys(key, end) >= 0)
        {
            rejection = WatchResponses.EmptyRangeReason;
        }
        else if (id != 0 && session.Watchers.ContainsKey(id))
        {
            rejection = WatchResponses.DuplicateIdReason;
        }

        if (rejection is not null || session.Closed)
        {
            session.Outbox.Enqueue(WatchResponses.Rejected(rejection ?? WatchResponses.EmptyRangeReason, current));
            return;
        }

        id = id == 0 ? session.NextAutoId() : id;
        var watcher = new Watcher(session, id, range, request.StartRevision, FlagsOf(request));
        session.Watchers[id] = watcher;
        session.Outbox.Enqueue(WatchResponses.Created(id, current));
        _observer?.WatchCreated(session, id, request, current);
        if (request.StartRevision == 0 || request.StartRevision > current)
        {
            watcher.MinRevision = request.StartRevision == 0 ? current + 1 : request.StartRevision;
            MarkSynced(watcher);
        }
        else if (request.StartRevision < 0 && request.StartRevision >= history.CompactRevision)
        {
            // etcd 3.4 only: a negative start at or above the compact revision (-1 before any
            // compaction) reads the backend from revision bytes above every real one, finds
            // nothing and syncs at the next revision. Lower ones get the compacted cancel below.
            watcher.MinRevision = current + 1;
            MarkSynced(watcher);
        }
        else
        {
            watcher.MinRevision = request.StartRevision;
            watcher.State = WatcherState.Unsynced;
            session.Unsynced.Add(watcher);
            CatchUp(watcher, history);
        }
    });

    /// <summary>Cancels a watcher: one canceled response for a known id, nothing for an unknown one.</summary>
    public void Cancel(WatchSession session, long id) => _applier.WithHistory(history =>
    {
        if (session.Watchers.Remove(id, out var watcher))
        {
            Detach(watcher);
            session.Outbox.Enqueue(WatchResponses.Canceled(id, history.CurrentRevision));
            _observer?.WatchEnded(session, id, "canceled", history.CurrentRevision);
        }
    });

    /// <summary>
    /// A WatchProgressRequest (etcd ≥ 3.5.13 RequestProgressAll): one response with watch id -1 and
    /// the current revision, only when the stream has watchers and every one is synced and has
    /// reached its start revision; otherwise nothing. Queued behind every pending event, it never
    /// runs ahead of undelivered events. etcd 3.4.23 answers every request at once.
    /// </summary>
    public void RequestProgressAll(WatchSession session) => _applier.WithHistory(history =>
    {
        var current = history.CurrentRevision;
        if (!_profile.ProgressRequestWaitsForSync
            || (session.Watchers.Count > 0 && session.Watchers.Values.All(w => IsProgressable(w, current))))
        {
            session.Outbox.Enqueue(WatchResponses.Progress(WatchResponses.InvalidWatchId, current));
        }
    });

    /// <summary>
    /// One tick of the stream's progress ticker: every progress_notify watcher that got no events
    /// since the previous tick gets a progress response, if it is synced and its stream has room.
    /// </summary>
    public void ProgressTick(WatchSession session) => _applier.WithHistory(history =>
    {
        var current = history.CurrentRevision;
        foreach (var watcher in session.Watchers.Values)
        {
            if (!watcher.Has(WatchOptionsFlags.ProgressNotify))
            {
                continue;
            }

            if (watcher.ProgressDue && IsProgressable(watcher, current))
            {
                // A full stream means events are on their way: etcd skips the notification then.
                session.Outbox.TryEnqueue(WatchResponses.Progress(watcher.Id, current));
            }

            watcher.ProgressDue = true;
        }
    });

    /// <summary>Lets the stream's unsynced watchers catch up as far as its outbox has room.</summary>
    public void CatchUp(WatchSession session) => _applier.WithHistory(history =>
    {
        foreach (var watcher in session.Unsynced.ToList())
        {
            if (!CatchUp(watcher, history))
            {
                break;
            }
        }
    });

    /// <summary>Removes every watcher of a closed stream.</summary>
    public void Close(WatchSession session) => _applier.WithHistory(history =>
    {
        session.Closed = true;
        foreach (var watcher in session.Watchers.Values)
        {
            Detach(watcher);
            _observer?.WatchEnded(session, watcher.Id, "stream closed", history.CurrentRevision);
        }

        session.Watchers.Clear();
    });

    private bool IsProgressable(Watcher watcher, long current) =>
        watcher.State == WatcherState.Synced && (current >= watcher.StartRevision || !_profile.ProgressWaitsForStartRevision);

    private static WatchOptionsFlags FlagsOf(WatchCreateRequest request)
    {
        var flags = WatchOptionsFlags.None;
        foreach (var filter in request.Filters)
        {
            flags |= filter switch
            {
                WatchCreateRequest.Types.FilterType.Noput => WatchOptionsFlags.NoPut,
                WatchCreateRequest.Types.FilterType.Nodelete => WatchOptionsFlags.NoDelete,
                _ => WatchOptionsFlags.None, // etcd ignores unknown filter values.
            };
        }

        flags |= request.PrevKv ? WatchOptionsFlags.PrevKv : 0;
        flags |= request.ProgressNotify ? WatchOptionsFlags.ProgressNotify : 0;
        flags |= request.Fragment ? WatchOptionsFlags.Fragment : 0;
        return flags;
    }

    /// <summary>
    /// Live delivery (etcd's notify), under the apply lock: one response per watcher holding all of
    /// its events of this revision. A watcher whose stream is full leaves the synced group and will
    /// re-read this revision from the log, so the writer never waits.
    /// </summary>
    private void OnCommitted(CommittedRevision committed)
    {
        if (_synced.Count == 0)
        {
            return;
        }

        // The usual revision holds one change: its watchers need no per-watcher batch.
        var single = committed.Events.Count == 1 ? committed.Events[0] : null;
        foreach (var change in committed.Events)
        {
            _matches.Clear();
            _synced.CollectWatchers(change.Kv.Key, _matches);
            foreach (var watcher in _matches)
            {
                if (committed.Revision < watcher.MinRevision)
                {
                    continue; // A future start revision not reached yet.
                }

                if (single is not null)
                {
                    _touched.Add(watcher);
                    continue;
                }

                if (watcher.Batch is null)
                {
                    watcher.Batch = [];
                    _touched.Add(watcher);
                }

                watcher.Batch.Add(change);
            }
        }

        HoldAtGate();
        foreach (var watcher in _touched)
        {
            var response = single is not null ? OneChange(watcher, committed.Revision, single) : Batched(watcher, committed.Revision);
            if (response is null)
            {
                watcher.MinRevision = committed.Revision + 1;
                continue;
            }

            if (watcher.Session.Outbox.TryEnqueue(response, watcher.Has(WatchOptionsFlags.Fragment)))
            {
                watcher.MinRevision = committed.Revision + 1;
                watcher.ProgressDue = false;
            }
            else
            {
                _synced.Remove(watcher);
                watcher.State = WatcherState.Unsynced;
                watcher.MinRevision = committed.Revision;
                watcher.Session.Unsynced.Add(watcher);
            }
        }

        _touched.Clear();
        _plainCopies.Clear();
    }

    private WatchResponse? OneChange(Watcher watcher, long revision, Event change) =>
        WatchResponses.SelectOne(watcher, change, long.MinValue, _plainCopies) is { } chosen ? WatchResponses.Events(watcher.Id, revision, chosen) : null;

    private WatchResponse? Batched(Watcher watcher, long revision)
    {
        var events = WatchResponses.Select(watcher, watcher.Batch!, long.MinValue, _plainCopies);
        watcher.Batch = null;
        return events.Count == 0 ? null : WatchResponses.Events(watcher.Id, revision, events);
    }

    /// <summary>
    /// etcd's syncWatchers for one watcher: compaction cancel if it fell behind the compacted
    /// revision, else responses of up to <see cref="MaxRevisionsPerCatchUp"/> revisions with the
    /// current revision in the header, until it is synced. False when its stream is full.
    /// </summary>
    private bool CatchUp(Watcher watcher, CommittedHistory history)
    {
        var session = watcher.Session;
        var current = history.CurrentRevision;
        while (watcher.State == WatcherState.Unsynced)
        {
            if (watcher.MinRevision < history.CompactRevision)
            {
                if (!session.Outbox.TryEnqueue(WatchResponses.Compacted(watcher.Id, history.CompactRevision)))
                {
                    return false;
                }

                session.Unsynced.Remove(watcher);
                watcher.State = WatcherState.Compacted;
                return true;
            }

            var (changes, next) = ReadBatch(watcher, history, _profile.KeepsTombstoneAtCompactRevision);
            var events = WatchResponses.Select(watcher, changes, history.CompactRevision);
            if (events.Count > 0)
            {
                var response = WatchResponses.Events(watcher.Id, current, events);
                if (!session.Outbox.TryEnqueue(response, watcher.Has(WatchOptionsFlags.Fragment)))
                {
                    return false;
                }

                watcher.ProgressDue = false;
            }

            watcher.MinRevision = next;
            if (next > current)
            {
                session.Unsynced.Remove(watcher);
                MarkSynced(watcher);
            }
        }

        return true;
    }

    /// <summary>
    /// The watcher's events from its min revision on, cut after the revision limit; and the revision
    /// after them. Without <paramref name="keepsCompactTombstone"/> (etcd 3.4, etcd#18089) a delete at
    /// exactly the compact revision is gone: 3.4's compaction removes that tombstone from the backend.
    /// </summary>
    private static (List<Event> Changes, long Next) ReadBatch(Watcher watcher, CommittedHistory history, bool keepsCompactTombstone)
    {
        var changes = new List<Event>();
        var revisions = 0;
        foreach (var committed in history.From(watcher.MinRevision))
        {
            var before = changes.Count;
            var tombstonesGone = !keepsCompactTombstone && committed.Revision == history.CompactRevision;
            foreach (var change in committed.Events)
            {
                if (tombstonesGone && change.Type == Event.Types.EventType.Delete)
                {
                    continue;
                }

                if (watcher.Range.Contains(change.Kv.Key))
                {
                    changes.Add(change);
                }
            }

            if (changes.Count > before && ++revisions > MaxRevisionsPerCatchUp)
            {
                changes.RemoveRange(before, changes.Count - before);
                return (changes, committed.Revision);
            }
        }

        return (changes, history.CurrentRevision + 1);
    }

    /// <summary>Hands the streams that got events of this revision to the gate, if any (see <see cref="IWatchDeliveryGate"/>).</summary>
    private void HoldAtGate()
    {
        if (_gate is null)
        {
            return;
        }

        foreach (var watcher in _touched)
        {
            if (!_heldSessions.Contains(watcher.Session))
            {
                _heldSessions.Add(watcher.Session);
            }
        }

        _gate.Hold(_heldSessions);
        _heldSessions.Clear();
    }

    private void MarkSynced(Watcher watcher)
    {
        watcher.State = WatcherState.Synced;
        _synced.Add(watcher);
    }

    private void Detach(Watcher watcher)
    {
        if (watcher.State == WatcherState.Synced)
        {
            _synced.Remove(watcher);
        }
        else if (watcher.State == WatcherState.Unsynced)
        {
            watcher.Session.Unsynced.Remove(watcher);
        }

        watcher.State = WatcherState.Canceled;
    }
}

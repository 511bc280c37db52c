using EtcdProtocol.Mvccpb;
using FakeEtcd.Mvcc;

namespace FakeEtcd.Watch;

/// <summary>Where a watcher stands (etcd's synced/unsynced groups and the compacted flag).</summary>
internal enum WatcherState
{
    /// <summary>Up to date: receives each committed revision from the apply path.</summary>
    Synced,

    /// <summary>Behind: catches up from the revision log when its stream has room.</summary>
    Unsynced,

    /// <summary>Fell behind the compaction revision and was told so; receives nothing more.</summary>
    Compacted,

    /// <summary>Canceled by the client or its stream closed.</summary>
    Canceled,
}

/// <summary>
/// One watch on a stream (etcd's mvcc watcher). All mutable state is guarded by the apply lock:
/// the hub touches it only from <c>Applier.WithHistory</c> or a <c>Committed</c> handler.
/// </summary>
internal sealed class Watcher(WatchSession session, long id, KeyRange range, long startRevision, WatchOptionsFlags flags)
{
    public WatchSession Session { get; } = session;

    public long Id { get; } = id;

    public KeyRange Range { get; } = range;

    /// <summary>The start revision the client asked for (0 = now); progress waits until the store reaches it.</summary>
    public long StartRevision { get; } = startRevision;

    public WatchOptionsFlags Flags { get; } = flags;

    /// <summary>The lowest revision this watcher still needs (etcd's minRev).</summary>
    public long MinRevision { get; set; }

    public WatcherState State { get; set; }

    /// <summary>etcd's per-watch progress flag: set at creation and on every tick, cleared when events are queued.</summary>
    public bool ProgressDue { get; set; } = true;

    /// <summary>Scratch list used by the hub while fanning one revision out; null otherwise.</summary>
    public List<Event>? Batch { get; set; }

    public bool Has(WatchOptionsFlags flag) => (Flags & flag) != 0;

    /// <summary>NOPUT / NODELETE filters, applied after key matching (etcd's FilterFunc).</summary>
    public bool Accepts(Event change) => change.Type switch
    {
        Event.Types.EventType.Put => !Has(WatchOptionsFlags.NoPut),
        _ => !Has(WatchOptionsFlags.NoDelete),
    };
}

/// <summary>The per-watch options of a create request.</summary>
[Flags]
internal enum WatchOptionsFlags
{
    None = 0,
    NoPut = 1,
    NoDelete = 2,
    PrevKv = 4,
    ProgressNotify = 8,
    Fragment = 16,
}

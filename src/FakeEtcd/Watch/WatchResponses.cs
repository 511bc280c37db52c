using EtcdProtocol.Etcdserverpb;
using EtcdProtocol.Mvccpb;

namespace FakeEtcd.Watch;

/// <summary>The shapes of etcd's watch responses (v3rpc/watch.go). Headers carry only the revision; the sender stamps the rest.</summary>
internal static class WatchResponses
{
    /// <summary>The id etcd reports for a rejected create and for a stream-wide progress response.</summary>
    public const long InvalidWatchId = -1;

    public const string EmptyRangeReason = "mvcc: watcher range is empty";

    public const string DuplicateIdReason = "mvcc: duplicate watch ID provided on the WatchStream";

    /// <summary>etcd ≥ 3.5.24 rejects a negative start revision with the gRPC compacted error text.</summary>
    public const string NegativeStartReason = "etcdserver: mvcc: required revision has been compacted";

    public static WatchResponse Created(long id, long revision) =>
        new() { Header = Header(revision), WatchId = id, Created = true };

    public static WatchResponse Rejected(string reason, long revision) => new()
    {
        Header = Header(revision),
        WatchId = InvalidWatchId,
        Created = true,
        Canceled = true,
        CancelReason = reason,
    };

    public static WatchResponse Canceled(long id, long revision) =>
        new() { Header = Header(revision), WatchId = id, Canceled = true };

    /// <summary>etcd builds this one without a revision, so its header revision is 0.</summary>
    public static WatchResponse Compacted(long id, long compactRevision) =>
        new() { Header = Header(0), WatchId = id, Canceled = true, CompactRevision = compactRevision };

    public static WatchResponse Progress(long id, long revision) =>
        new() { Header = Header(revision), WatchId = id };

    public static WatchResponse Events(long id, long revision, List<Event> events)
    {
        var response = new WatchResponse { Header = Header(revision), WatchId = id };
        response.Events.AddRange(events);
        return response;
    }

    public static WatchResponse Events(long id, long revision, Event change)
    {
        var response = new WatchResponse { Header = Header(revision), WatchId = id };
        response.Events.Add(change);
        return response;
    }

    /// <summary>
    /// What <paramref name="watcher"/> gets of <paramref name="changes"/>: its filters applied, and
    /// prev_kv only when asked for, never on a create event, and only if the revision before the
    /// event is still readable (etcd reads it with a Range at mod_revision - 1).
    /// </summary>
    public static List<Event> Select(Watcher watcher, List<Event> changes, long compactRevision, Dictionary<Event, Event>? plainCopies = null)
    {
        var selected = new List<Event>(changes.Count);
        foreach (var change in changes)
        {
            if (SelectOne(watcher, change, compactRevision, plainCopies) is { } chosen)
            {
                selected.Add(chosen);
            }
        }

        return selected;
    }

    /// <summary>
    /// <see cref="Select"/> for one change, null when the watcher's filters drop it. The committed event
    /// is never changed after its commit, so it is shared when it already has the watcher's shape, and
    /// so is its copy without prev_kv, one per change in <paramref name="plainCopies"/>: a revision seen
    /// by a thousand watchers allocates no event per watcher.
    /// </summary>
    public static Event? SelectOne(Watcher watcher, Event change, long compactRevision, Dictionary<Event, Event>? plainCopies)
    {
        if (!watcher.Accepts(change))
        {
            return null;
        }

        var isCreate = change.Type == Event.Types.EventType.Put && change.Kv.CreateRevision == change.Kv.ModRevision;
        var withPrev = watcher.Has(WatchOptionsFlags.PrevKv) && !isCreate && change.PrevKv is not null && change.Kv.ModRevision - 1 >= compactRevision;
        if (withPrev || change.PrevKv is null)
        {
            return change;
        }

        if (plainCopies is null)
        {
            return new Event { Type = change.Type, Kv = change.Kv };
        }

        if (!plainCopies.TryGetValue(change, out var plain))
        {
            plain = new Event { Type = change.Type, Kv = change.Kv };
            plainCopies[change] = plain;
        }

        return plain;
    }

    private static ResponseHeader Header(long revision) => new() { Revision = revision };
}

using EtcdProtocol.Mvccpb;
using FakeEtcd.Errors;

namespace FakeEtcd.Mvcc;

/// <summary>
/// The revisioned key space (etcd's mvcc store): a fresh store is at revision 1 with nothing
/// compacted (compact revision -1). Not thread-safe: the caller serialises access (one apply path).
/// </summary>
internal sealed class MvccStore(ILeaseAttachments leases)
{
    private readonly KeyIndex _index = new();

    public long CurrentRevision { get; private set; } = 1;

    /// <summary>The revision of the last compaction; -1 until the first one (so Compact(0) succeeds once).</summary>
    public long CompactRevision { get; private set; } = -1;

    public RevisionLog Log { get; } = new();

    internal KeyIndex Index => _index;

    internal ILeaseAttachments Leases => leases;

    /// <summary>Reads the live keys of <paramref name="range"/> at the current revision or an older one.</summary>
    public RangeResult Range(KeyRange range, long revision = 0, long limit = 0, bool countOnly = false) =>
        RangeAt(range, revision, limit, countOnly, CurrentRevision);

    /// <summary>Starts the single write transaction that may run at a time.</summary>
    public WriteTxn BeginWrite() => new(this, CurrentRevision);

    /// <summary>Compacts history up to <paramref name="revision"/> (etcd's updateCompactRev rules).</summary>
    public void Compact(long revision)
    {
        if (revision <= CompactRevision)
        {
            throw EtcdErrors.Compacted();
        }

        if (revision > CurrentRevision)
        {
            throw EtcdErrors.FutureRevision();
        }

        CompactRevision = revision;
        _index.Compact(revision);
        Log.Compact(revision);
    }

    /// <summary>etcd's rangeKeys: revision checks against <paramref name="viewRevision"/>, then the scan.</summary>
    internal RangeResult RangeAt(KeyRange range, long revision, long limit, bool countOnly, long viewRevision)
    {
        if (revision > viewRevision)
        {
            throw EtcdErrors.FutureRevision();
        }

        if (revision <= 0)
        {
            revision = viewRevision;
        }

        if (revision < CompactRevision)
        {
            throw EtcdErrors.Compacted();
        }

        var kvs = new List<KeyValue>();
        long count = 0;
        foreach (var history in _index.InRange(range))
        {
            var kv = history.At(revision);
            if (kv is null)
            {
                continue;
            }

            count++;
            if (!countOnly && (limit <= 0 || kvs.Count < limit))
            {
                kvs.Add(kv);
            }
        }

        return new RangeResult(kvs, count, viewRevision);
    }

    internal void Commit(CommittedRevision committed)
    {
        CurrentRevision = committed.Revision;
        Log.Append(committed);
    }
}

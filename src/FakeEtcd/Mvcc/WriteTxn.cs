using EtcdProtocol.Mvccpb;
using Google.Protobuf;

namespace FakeEtcd.Mvcc;

/// <summary>
/// One write transaction (etcd's storeTxnWrite): every change gets revision <c>begin + 1</c>, reads
/// inside the transaction see earlier changes, and <see cref="Commit"/> bumps the store revision only
/// if something changed. Changes are written to the index as they happen; <see cref="Abort"/> undoes
/// them, so a transaction that fails half-way leaves no trace.
/// </summary>
internal sealed class WriteTxn
{
    private readonly MvccStore _store;
    private readonly long _beginRevision;
    private readonly List<Event> _changes = [];
    private readonly List<KeyHistory> _touched = [];
    private readonly List<(long OldLease, long NewLease, ByteString Key)> _leaseMoves = [];
    private bool _done;

    internal WriteTxn(MvccStore store, long beginRevision)
    {
        _store = store;
        _beginRevision = beginRevision;
    }

    /// <summary>The revision this transaction's reads see: the begin revision, or the new one after a change.</summary>
    public long ViewRevision => _changes.Count > 0 ? _beginRevision + 1 : _beginRevision;

    public long BeginRevision => _beginRevision;

    public long NewRevision => _beginRevision + 1;

    public bool HasChanges => _changes.Count > 0;

    public RangeResult Range(KeyRange range, long revision = 0, long limit = 0, bool countOnly = false) =>
        _store.RangeAt(range, revision, limit, countOnly, ViewRevision);

    /// <summary>Writes <paramref name="key"/> and returns the transaction's new revision.</summary>
    public long Put(ByteString key, ByteString value, long lease)
    {
        var history = _store.Index.GetOrAdd(key);
        var previous = history.At(ViewRevision);
        var kv = new KeyValue
        {
            Key = key,
            Value = value,
            CreateRevision = previous?.CreateRevision ?? NewRevision,
            ModRevision = NewRevision,
            Version = (previous?.Version ?? 0) + 1,
            Lease = lease,
        };
        Record(history, kv, new Event { Type = Event.Types.EventType.Put, Kv = kv, PrevKv = BeforeTxn(history) });
        _leaseMoves.Add((previous?.Lease ?? 0, lease, key));
        return NewRevision;
    }

    /// <summary>Deletes every live key in <paramref name="range"/>; returns how many, in key order.</summary>
    public long DeleteRange(KeyRange range)
    {
        var view = ViewRevision;
        var victims = new List<(KeyHistory History, KeyValue Value)>();
        foreach (var history in _store.Index.InRange(range))
        {
            if (history.At(view) is { } live)
            {
                victims.Add((history, live));
            }
        }

        foreach (var (history, live) in victims)
        {
            var tombstone = new KeyValue { Key = history.Key, ModRevision = NewRevision };
            Record(history, null, new Event { Type = Event.Types.EventType.Delete, Kv = tombstone, PrevKv = BeforeTxn(history) });
            _leaseMoves.Add((live.Lease, 0, history.Key));
        }

        return victims.Count;
    }

    /// <summary>Ends the transaction; returns what it committed, or null when it changed nothing.</summary>
    public CommittedRevision? Commit()
    {
        _done = true;
        if (_changes.Count == 0)
        {
            return null;
        }

        foreach (var (oldLease, newLease, key) in _leaseMoves)
        {
            if (oldLease != 0)
            {
                _store.Leases.Detach(oldLease, key);
            }

            if (newLease != 0)
            {
                _store.Leases.Attach(newLease, key);
            }
        }

        var committed = new CommittedRevision(NewRevision, _changes);
        _store.Commit(committed);
        return committed;
    }

    /// <summary>Undoes every change written so far (no-op after <see cref="Commit"/>).</summary>
    public void Abort()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        foreach (var history in _touched)
        {
            history.RemoveNewest(NewRevision);
        }
    }

    /// <summary>
    /// An event's prev_kv: etcd reads it with a Range at mod_revision - 1, i.e. the key as it was before
    /// this transaction, not after an earlier change to it within the same transaction (a nested txn's put).
    /// </summary>
    private KeyValue? BeforeTxn(KeyHistory history) => history.At(_beginRevision);

    private void Record(KeyHistory history, KeyValue? value, Event change)
    {
        history.Append(NewRevision, _changes.Count, value);
        _touched.Add(history);
        _changes.Add(change);
    }
}

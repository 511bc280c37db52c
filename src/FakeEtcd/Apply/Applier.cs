using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Errors;
using FakeEtcd.Leases;
using FakeEtcd.Mvcc;

namespace FakeEtcd.Apply;

/// <summary>
/// The single linearization point: every request that reads or changes the key space runs here,
/// one at a time, in the order etcd checks it (request validation, raft size limit, apply). Each
/// committed revision is handed to <see cref="Committed"/> subscribers before the lock is released,
/// so they see revisions strictly in order. Responses carry only <c>header.revision</c>; the gRPC
/// layer fills the member identity.
/// </summary>
internal sealed partial class Applier : IDisposable
{
    private readonly Lock _gate = new();
    private readonly MvccStore _store;
    private readonly Lessor _leases;
    private readonly LeaseExpiryTimer _expiry;
    private readonly TxnExecutor _txns;
    private readonly RaftRequestSize _raftSize;
    private const long EmptyDbBytes = 20 * 1024;
    private long _raftIndex = 4;
    private long _bytesWritten;
    private readonly ulong _memberId;

    public Applier(EtcdLimits limits, TimeProvider? clock = null, LeaseOptions? leaseOptions = null, ulong memberId = 0)
    {
        Limits = limits;
        _memberId = memberId;
        _raftSize = new RaftRequestSize(limits, memberId);
        clock ??= TimeProvider.System;
        _leases = new Lessor(clock, leaseOptions ?? new LeaseOptions(), new LeaseIdGenerator(memberId, clock.GetUtcNow()));
        _store = new MvccStore(_leases);
        _txns = new TxnExecutor(_store, _leases);
        _expiry = new LeaseExpiryTimer(clock, ExpireDueLeases);
    }

    /// <summary>Raised under the apply lock for each committed revision, in revision order.</summary>
    public event Action<CommittedRevision>? Committed;

    /// <summary>Raised under the apply lock when a lease is gone: its id and whether it expired (false: revoked).</summary>
    public event Action<long, bool>? LeaseEnded;

    public EtcdLimits Limits { get; }

    /// <summary>
    /// Raft entries applied so far: each write request is one entry. A fresh single member has applied
    /// its bootstrap entries (configuration change, election, version publication) already.
    /// </summary>
    public ulong RaftIndex => (ulong)Interlocked.Read(ref _raftIndex);

    /// <summary>A plausible backend size: an empty bbolt file plus every revision written, in 4 KiB pages.</summary>
    public long ApproximateDbSize => EmptyDbBytes + (Interlocked.Read(ref _bytesWritten) + 4095) / 4096 * 4096;

    public long CurrentRevision
    {
        get
        {
            lock (_gate)
            {
                return _store.CurrentRevision;
            }
        }
    }

    /// <summary>etcd's HashKV at <paramref name="revision"/> (0: current): the hash, the current and the compact revision.</summary>
    public HashKVResponse HashKV(long revision)
    {
        lock (_gate)
        {
            return new HashKVResponse
            {
                Hash = KvHash.At(_store, revision),
                CompactRevision = _store.CompactRevision,
                Header = new ResponseHeader { Revision = _store.CurrentRevision },
            };
        }
    }

    public RangeResponse Range(RangeRequest request)
    {
        RequestValidator.CheckRange(request);
        lock (_gate)
        {
            return RangeExecutor.Execute(request, _store);
        }
    }

    public PutResponse Put(PutRequest request)
    {
        RequestValidator.CheckPut(request);
        _raftSize.Check(request);
        lock (_gate)
        {
            _raftIndex++;
            CheckAlarmsLocked(QuotaCost.Of(request));
            if (request.Lease != 0 && !_leases.Exists(request.Lease))
            {
                throw EtcdErrors.LeaseNotFound();
            }

            return Write(txn => TxnExecutor.ApplyPut(txn, request));
        }
    }

    public DeleteRangeResponse DeleteRange(DeleteRangeRequest request)
    {
        RequestValidator.CheckDelete(request);
        _raftSize.Check(request);
        lock (_gate)
        {
            _raftIndex++;
            CheckAlarmsLocked(quotaCost: 0);
            return Write(txn => TxnExecutor.ApplyDelete(txn, request));
        }
    }

    public TxnResponse Txn(TxnRequest request)
    {
        RequestValidator.CheckTxn(request, Limits.MaxTxnOps);
        var readOnly = TxnExecutor.IsReadOnly(request);
        if (!readOnly)
        {
            _raftSize.Check(request);
        }

        lock (_gate)
        {
            if (!readOnly)
            {
                _raftIndex++;
                CheckAlarmsLocked(QuotaCost.Of(request));
            }

            var (response, committed) = _txns.Execute(request);
            Publish(committed);
            return response;
        }
    }

    public CompactionResponse Compact(CompactionRequest request)
    {
        _raftSize.Check(request);
        lock (_gate)
        {
            _raftIndex++;
            CheckAlarmsLocked(quotaCost: 0);
            _store.Compact(request.Revision);
            return new CompactionResponse { Header = new ResponseHeader { Revision = _store.CurrentRevision } };
        }
    }

    public void Dispose() => _expiry.Dispose();

    /// <summary>Runs <paramref name="apply"/> in one write transaction and commits it (caller holds the lock).</summary>
    private T Write<T>(Func<WriteTxn, T> apply)
    {
        var txn = _store.BeginWrite();
        try
        {
            var response = apply(txn);
            Publish(txn.Commit());
            return response;
        }
        catch
        {
            txn.Abort();
            throw;
        }
    }

    /// <summary>Runs <paramref name="apply"/> in one write transaction that answers nothing, and commits it (caller holds the lock).</summary>
    private void Write(Action<WriteTxn> apply) => Write(txn =>
    {
        apply(txn);
        return true;
    });

    private void Publish(CommittedRevision? committed)
    {
        if (committed is not null)
        {
            foreach (var change in committed.Events)
            {
                _bytesWritten += change.Kv.CalculateSize();
            }

            Committed?.Invoke(committed);
        }
    }
}

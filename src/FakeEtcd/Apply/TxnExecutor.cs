using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Errors;
using FakeEtcd.Mvcc;

namespace FakeEtcd.Apply;

/// <summary>
/// etcd's applier Txn: every compare in the tree is decided first against the pre-txn state (the
/// "txn path"), then the chosen branches are checked (leases, ignore_*, range revisions) and only then
/// executed, as one revision. Nothing is written unless every check passed.
/// </summary>
internal sealed class TxnExecutor(MvccStore store, ILeaseAttachments leases)
{
    public (TxnResponse Response, CommittedRevision? Committed) Execute(TxnRequest request)
    {
        var path = new List<bool>();
        CompareToPath(request, path);
        if (!IsReadOnly(request))
        {
            CheckRequests(request, new PathCursor(path), CheckPut);
        }

        CheckRequests(request, new PathCursor(path), CheckRange);

        var txn = store.BeginWrite();
        try
        {
            var response = Apply(txn, request, new PathCursor(path));
            var committed = txn.Commit();
            response.Header.Revision = committed?.Revision ?? txn.BeginRevision;
            return (response, committed);
        }
        catch
        {
            txn.Abort();
            throw;
        }
    }

    /// <summary>Put as the applier runs it inside a write transaction (also used for a plain Put).</summary>
    public static PutResponse ApplyPut(WriteTxn txn, PutRequest request)
    {
        var response = new PutResponse { Header = new ResponseHeader() };
        var value = request.Value;
        var lease = request.Lease;
        if (request.IgnoreValue || request.IgnoreLease || request.PrevKv)
        {
            var previous = txn.Range(KeyRange.Single(request.Key)).Kvs;
            if ((request.IgnoreValue || request.IgnoreLease) && previous.Count == 0)
            {
                throw EtcdErrors.KeyNotFound();
            }

            if (previous.Count > 0)
            {
                value = request.IgnoreValue ? previous[0].Value : value;
                lease = request.IgnoreLease ? previous[0].Lease : lease;
                response.PrevKv = request.PrevKv ? previous[0] : null;
            }
        }

        response.Header.Revision = txn.Put(request.Key, value, lease);
        return response;
    }

    /// <summary>DeleteRange as the applier runs it inside a write transaction.</summary>
    public static DeleteRangeResponse ApplyDelete(WriteTxn txn, DeleteRangeRequest request)
    {
        var range = new KeyRange(request.Key, request.RangeEnd);
        var response = new DeleteRangeResponse { Header = new ResponseHeader() };
        if (request.PrevKv)
        {
            response.PrevKvs.AddRange(txn.Range(range).Kvs);
        }

        response.Deleted = txn.DeleteRange(range);
        response.Header.Revision = txn.HasChanges ? txn.NewRevision : txn.BeginRevision;
        return response;
    }

    /// <summary>etcd's isTxnReadonly: only the top-level lists are inspected (a nested txn counts as a write).</summary>
    public static bool IsReadOnly(TxnRequest request) =>
        request.Success.All(op => op.RequestCase == RequestOp.RequestOneofCase.RequestRange)
        && request.Failure.All(op => op.RequestCase == RequestOp.RequestOneofCase.RequestRange);

    private void CompareToPath(TxnRequest request, List<bool> path)
    {
        var succeeded = CompareEvaluator.All(request.Compare, store);
        path.Add(succeeded);
        foreach (var op in succeeded ? request.Success : request.Failure)
        {
            if (op.RequestCase == RequestOp.RequestOneofCase.RequestTxn)
            {
                CompareToPath(op.RequestTxn, path);
            }
        }
    }

    private static void CheckRequests(TxnRequest request, PathCursor path, Action<RequestOp> check)
    {
        foreach (var op in path.Next() ? request.Success : request.Failure)
        {
            if (op.RequestCase == RequestOp.RequestOneofCase.RequestTxn)
            {
                CheckRequests(op.RequestTxn, path, check);
            }
            else
            {
                check(op);
            }
        }
    }

    private void CheckPut(RequestOp op)
    {
        if (op.RequestCase != RequestOp.RequestOneofCase.RequestPut)
        {
            return;
        }

        var put = op.RequestPut;
        if ((put.IgnoreValue || put.IgnoreLease) && store.Range(KeyRange.Single(put.Key)).Kvs.Count == 0)
        {
            throw EtcdErrors.KeyNotFound();
        }

        if (put.Lease != 0 && !leases.Exists(put.Lease))
        {
            throw EtcdErrors.LeaseNotFound();
        }
    }

    private void CheckRange(RequestOp op)
    {
        if (op.RequestCase != RequestOp.RequestOneofCase.RequestRange || op.RequestRange.Revision == 0)
        {
            return;
        }

        var revision = op.RequestRange.Revision;
        if (revision > store.CurrentRevision)
        {
            throw EtcdErrors.FutureRevision();
        }

        if (revision < store.CompactRevision)
        {
            throw EtcdErrors.Compacted();
        }
    }

    /// <summary>Runs the chosen branch. Only the caller fills the top-level header; a nested txn's stays empty, as in etcd.</summary>
    private static TxnResponse Apply(WriteTxn txn, TxnRequest request, PathCursor path)
    {
        var succeeded = path.Next();
        var response = new TxnResponse { Header = new ResponseHeader(), Succeeded = succeeded };
        foreach (var op in succeeded ? request.Success : request.Failure)
        {
            response.Responses.Add(op.RequestCase switch
            {
                RequestOp.RequestOneofCase.RequestRange => new ResponseOp { ResponseRange = RangeExecutor.Execute(op.RequestRange, txn) },
                RequestOp.RequestOneofCase.RequestPut => new ResponseOp { ResponsePut = ApplyPut(txn, op.RequestPut) },
                RequestOp.RequestOneofCase.RequestDeleteRange => new ResponseOp { ResponseDeleteRange = ApplyDelete(txn, op.RequestDeleteRange) },
                RequestOp.RequestOneofCase.RequestTxn => new ResponseOp { ResponseTxn = Apply(txn, op.RequestTxn, path) },
                _ => new ResponseOp(),
            });
        }

        return response;
    }

    /// <summary>Walks the txn path in the same depth-first order it was built.</summary>
    private sealed class PathCursor(List<bool> path)
    {
        private int _next;

        public bool Next() => path[_next++];
    }
}

using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Errors;

namespace FakeEtcd.Apply;

/// <summary>
/// The checks etcd runs before a request reaches the store (v3rpc/key.go): they look at the request
/// alone, never at state, and fail with etcd's InvalidArgument errors.
/// </summary>
internal static class RequestValidator
{
    public static void CheckRange(RangeRequest request)
    {
        if (request.Key.IsEmpty)
        {
            throw EtcdErrors.EmptyKey();
        }

        // etcd 3.4/3.5 would sort with a nil sorter and panic (the member dies); 3.6 rejects the request.
        // An unknown order alone is harmless there (no sort runs) and still answers normally.
        var order = request.SortOrder == RangeRequest.Types.SortOrder.None && request.SortTarget != RangeRequest.Types.SortTarget.Key
            ? RangeRequest.Types.SortOrder.Ascend
            : request.SortOrder;
        if (!Enum.IsDefined(request.SortTarget) && order is RangeRequest.Types.SortOrder.Ascend or RangeRequest.Types.SortOrder.Descend)
        {
            throw EtcdErrors.InvalidSortOption();
        }
    }

    public static void CheckPut(PutRequest request)
    {
        if (request.Key.IsEmpty)
        {
            throw EtcdErrors.EmptyKey();
        }

        if (request.IgnoreValue && !request.Value.IsEmpty)
        {
            throw EtcdErrors.ValueProvided();
        }

        if (request.IgnoreLease && request.Lease != 0)
        {
            throw EtcdErrors.LeaseProvided();
        }
    }

    public static void CheckDelete(DeleteRangeRequest request)
    {
        if (request.Key.IsEmpty)
        {
            throw EtcdErrors.EmptyKey();
        }
    }

    /// <summary>checkTxnRequest plus checkIntervals on both branches.</summary>
    public static void CheckTxn(TxnRequest request, int maxTxnOps)
    {
        CheckTxnShape(request, maxTxnOps);
        DuplicateKeyCheck.Check(request.Success);
        DuplicateKeyCheck.Check(request.Failure);
    }

    private static void CheckTxnShape(TxnRequest request, int maxTxnOps)
    {
        var opCount = Math.Max(request.Compare.Count, Math.Max(request.Success.Count, request.Failure.Count));
        if (opCount > maxTxnOps)
        {
            throw EtcdErrors.TooManyOps();
        }

        foreach (var compare in request.Compare)
        {
            if (compare.Key.IsEmpty)
            {
                throw EtcdErrors.EmptyKey();
            }
        }

        // A nested txn may use only what the parent left of the op budget.
        foreach (var op in request.Success)
        {
            CheckOp(op, maxTxnOps - opCount);
        }

        foreach (var op in request.Failure)
        {
            CheckOp(op, maxTxnOps - opCount);
        }
    }

    private static void CheckOp(RequestOp op, int maxTxnOps)
    {
        switch (op.RequestCase)
        {
            case RequestOp.RequestOneofCase.RequestRange:
                CheckRange(op.RequestRange);
                break;
            case RequestOp.RequestOneofCase.RequestPut:
                CheckPut(op.RequestPut);
                break;
            case RequestOp.RequestOneofCase.RequestDeleteRange:
                CheckDelete(op.RequestDeleteRange);
                break;
            case RequestOp.RequestOneofCase.RequestTxn:
                CheckTxnShape(op.RequestTxn, maxTxnOps);
                break;
            default:
                throw EtcdErrors.KeyNotFound();
        }
    }
}

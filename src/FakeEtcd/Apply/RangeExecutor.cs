using EtcdProtocol.Etcdserverpb;
using EtcdProtocol.Mvccpb;
using FakeEtcd.Mvcc;

namespace FakeEtcd.Apply;

/// <summary>
/// etcd's applier Range (etcdserver/apply.go): limit, the mod/create revision filters, sorting and
/// keys_only on top of a store read. <c>count</c> ignores limit and filters, as etcd documents.
/// </summary>
internal static class RangeExecutor
{
    /// <summary>Reads from the store as a plain Range request does.</summary>
    public static RangeResponse Execute(RangeRequest request, MvccStore store) =>
        Execute(request, (range, revision, limit, countOnly) => store.Range(range, revision, limit, countOnly));

    /// <summary>Reads through a write transaction, seeing its earlier changes, as a Range inside a Txn does.</summary>
    public static RangeResponse Execute(RangeRequest request, WriteTxn txn) =>
        Execute(request, (range, revision, limit, countOnly) => txn.Range(range, revision, limit, countOnly));

    private static RangeResponse Execute(RangeRequest request, Func<KeyRange, long, long, bool, RangeResult> read)
    {
        var filtered = request.MinModRevision != 0 || request.MaxModRevision != 0
            || request.MinCreateRevision != 0 || request.MaxCreateRevision != 0;

        // etcd reads everything when it must sort or filter, else one more than the limit to learn "more".
        // The check uses the requested order, so a non-key target with order NONE still reads limit + 1.
        var limit = request.SortOrder != RangeRequest.Types.SortOrder.None || filtered ? 0 : request.Limit;
        if (limit > 0)
        {
            limit++;
        }

        var result = read(new KeyRange(request.Key, request.RangeEnd), request.Revision, limit, request.CountOnly);
        IEnumerable<KeyValue> kvs = result.Kvs;
        if (filtered)
        {
            kvs = kvs.Where(kv => Keep(request, kv));
        }

        kvs = Sort(request, kvs);
        var list = kvs.ToList();
        var response = new RangeResponse { Header = new ResponseHeader { Revision = result.Revision }, Count = result.Count };
        if (request.Limit > 0 && list.Count > request.Limit)
        {
            list.RemoveRange((int)request.Limit, list.Count - (int)request.Limit);
            response.More = true;
        }

        foreach (var kv in list)
        {
            response.Kvs.Add(request.KeysOnly ? WithoutValue(kv) : kv);
        }

        return response;
    }

    private static bool Keep(RangeRequest r, KeyValue kv) =>
        (r.MaxModRevision == 0 || kv.ModRevision <= r.MaxModRevision)
        && (r.MinModRevision == 0 || kv.ModRevision >= r.MinModRevision)
        && (r.MaxCreateRevision == 0 || kv.CreateRevision <= r.MaxCreateRevision)
        && (r.MinCreateRevision == 0 || kv.CreateRevision >= r.MinCreateRevision);

    private static IEnumerable<KeyValue> Sort(RangeRequest request, IEnumerable<KeyValue> kvs)
    {
        var order = request.SortOrder;
        if (request.SortTarget != RangeRequest.Types.SortTarget.Key && order == RangeRequest.Types.SortOrder.None)
        {
            order = RangeRequest.Types.SortOrder.Ascend;
        }

        if (order is not (RangeRequest.Types.SortOrder.Ascend or RangeRequest.Types.SortOrder.Descend))
        {
            return kvs;
        }

        // Stable sorts: ties keep key order, as etcd's insertion sort does for small ranges.
        Comparison<KeyValue> compare = request.SortTarget switch
        {
            RangeRequest.Types.SortTarget.Version => (a, b) => a.Version.CompareTo(b.Version),
            RangeRequest.Types.SortTarget.Create => (a, b) => a.CreateRevision.CompareTo(b.CreateRevision),
            RangeRequest.Types.SortTarget.Mod => (a, b) => a.ModRevision.CompareTo(b.ModRevision),
            RangeRequest.Types.SortTarget.Value => (a, b) => a.Value.Span.SequenceCompareTo(b.Value.Span),
            _ => (a, b) => KeyComparer.CompareKeys(a.Key, b.Key),
        };
        var comparer = Comparer<KeyValue>.Create(compare);
        return order == RangeRequest.Types.SortOrder.Descend
            ? kvs.OrderByDescending(kv => kv, comparer)
            : kvs.OrderBy(kv => kv, comparer);
    }

    private static KeyValue WithoutValue(KeyValue kv) => new()
    {
        Key = kv.Key,
        CreateRevision = kv.CreateRevision,
        ModRevision = kv.ModRevision,
        Version = kv.Version,
        Lease = kv.Lease,
    };
}

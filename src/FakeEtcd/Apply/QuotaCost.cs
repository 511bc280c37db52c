using EtcdProtocol.Etcdserverpb;

namespace FakeEtcd.Apply;

/// <summary>
/// etcd's estimate of what a write adds to the backend (etcdserver/quota.go): 256 bytes of key metadata
/// plus key and value per Put, 64 per lease grant, and for a Txn the larger branch's Puts. Zero means
/// the write cannot add data, so neither the quota nor a NOSPACE alarm stops it.
/// </summary>
internal static class QuotaCost
{
    public const long LeaseGrant = 64;

    private const long KvOverhead = 256;

    public static long Of(PutRequest request) => KvOverhead + request.Key.Length + request.Value.Length;

    public static long Of(TxnRequest request) => Math.Max(Branch(request.Success), Branch(request.Failure));

    // A plain loop: this runs on every Txn.
    private static long Branch(IReadOnlyList<RequestOp> ops)
    {
        long cost = 0;
        for (var i = 0; i < ops.Count; i++)
        {
            if (ops[i].RequestPut is { } put)
            {
                cost += Of(put);
            }
        }

        return cost;
    }
}

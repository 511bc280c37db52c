using EtcdProtocol.Etcdserverpb;
using EtcdProtocol.Mvccpb;
using Google.Protobuf;

namespace FakeEtcd.Tests.Support;

/// <summary>Short builders for etcd requests in tests.</summary>
internal static class Requests
{
    public static ByteString B(string text) => ByteString.CopyFromUtf8(text);

    public static string S(ByteString bytes) => bytes.ToStringUtf8();

    public static PutRequest Put(string key, string value, long lease = 0, bool prevKv = false) =>
        new() { Key = B(key), Value = B(value), Lease = lease, PrevKv = prevKv };

    public static RangeRequest Get(string key, string? rangeEnd = null, long revision = 0) =>
        new() { Key = B(key), RangeEnd = rangeEnd is null ? ByteString.Empty : B(rangeEnd), Revision = revision };

    public static RangeRequest Prefix(string prefix) => new() { Key = B(prefix), RangeEnd = B(PrefixEnd(prefix)) };

    public static DeleteRangeRequest Delete(string key, string? rangeEnd = null, bool prevKv = false) =>
        new() { Key = B(key), RangeEnd = rangeEnd is null ? ByteString.Empty : B(rangeEnd), PrevKv = prevKv };

    public static RequestOp Op(PutRequest put) => new() { RequestPut = put };

    public static RequestOp Op(RangeRequest range) => new() { RequestRange = range };

    public static RequestOp Op(DeleteRangeRequest delete) => new() { RequestDeleteRange = delete };

    public static RequestOp Op(TxnRequest txn) => new() { RequestTxn = txn };

    public static Compare Cmp(string key, Compare.Types.CompareTarget target, Compare.Types.CompareResult result, long number = 0, string? value = null)
    {
        var compare = new Compare { Key = B(key), Target = target, Result = result };
        switch (target)
        {
            case Compare.Types.CompareTarget.Value: compare.Value = B(value ?? string.Empty); break;
            case Compare.Types.CompareTarget.Create: compare.CreateRevision = number; break;
            case Compare.Types.CompareTarget.Mod: compare.ModRevision = number; break;
            case Compare.Types.CompareTarget.Version: compare.Version = number; break;
            case Compare.Types.CompareTarget.Lease: compare.Lease = number; break;
        }

        return compare;
    }

    public static TxnRequest Txn(IEnumerable<Compare> compares, IEnumerable<RequestOp> success, IEnumerable<RequestOp>? failure = null)
    {
        var txn = new TxnRequest();
        txn.Compare.AddRange(compares);
        txn.Success.AddRange(success);
        txn.Failure.AddRange(failure ?? []);
        return txn;
    }

    public static KeyValue Kv(string key, string value, long create, long mod, long version, long lease = 0) =>
        new() { Key = B(key), Value = B(value), CreateRevision = create, ModRevision = mod, Version = version, Lease = lease };

    /// <summary>The range end that selects every key with <paramref name="prefix"/> (clientv3's GetPrefixRangeEnd).</summary>
    public static string PrefixEnd(string prefix)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(prefix);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xff)
            {
                bytes[i]++;
                return System.Text.Encoding.UTF8.GetString(bytes, 0, i + 1);
            }
        }

        return "\0";
    }
}

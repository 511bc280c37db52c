using Etcdserverpb;
using Google.Protobuf;

namespace FakeEtcd.Tests.Differential;

/// <summary>Terse builders for etcd requests used by the differential tests.</summary>
public static class Req
{
    /// <summary>The one-zero-byte range_end meaning "every key ≥ key".</summary>
    public const string AllFrom = "\0";

    public static ByteString B(string s) => ByteString.CopyFromUtf8(s);

    public static PutRequest Put(string key, string value, long lease = 0, bool prevKv = false)
        => new() { Key = B(key), Value = B(value), Lease = lease, PrevKv = prevKv };

    public static RangeRequest Range(string key, string? rangeEnd = null, long revision = 0)
    {
        var r = new RangeRequest { Key = B(key), Revision = revision };
        if (rangeEnd is not null)
        {
            r.RangeEnd = B(rangeEnd);
        }

        return r;
    }

    /// <summary>Every key, as etcdctl get --prefix "" sends it.</summary>
    public static RangeRequest All(long revision = 0) => Range(AllFrom, AllFrom, revision);

    public static DeleteRangeRequest Delete(string key, string? rangeEnd = null, bool prevKv = false)
    {
        var r = new DeleteRangeRequest { Key = B(key), PrevKv = prevKv };
        if (rangeEnd is not null)
        {
            r.RangeEnd = B(rangeEnd);
        }

        return r;
    }

    public static RequestOp Op(PutRequest put) => new() { RequestPut = put };

    public static RequestOp Op(RangeRequest range) => new() { RequestRange = range };

    public static RequestOp Op(DeleteRangeRequest delete) => new() { RequestDeleteRange = delete };

    public static RequestOp Op(TxnRequest txn) => new() { RequestTxn = txn };

    public static TxnRequest Txn(IEnumerable<Compare>? compare = null, IEnumerable<RequestOp>? success = null, IEnumerable<RequestOp>? failure = null)
    {
        var txn = new TxnRequest();
        txn.Compare.AddRange(compare ?? []);
        txn.Success.AddRange(success ?? []);
        txn.Failure.AddRange(failure ?? []);
        return txn;
    }

    public static Compare Version(string key, Compare.Types.CompareResult result, long version)
        => new() { Key = B(key), Target = Compare.Types.CompareTarget.Version, Result = result, Version = version };

    public static Compare Create(string key, Compare.Types.CompareResult result, long revision)
        => new() { Key = B(key), Target = Compare.Types.CompareTarget.Create, Result = result, CreateRevision = revision };

    public static Compare Mod(string key, Compare.Types.CompareResult result, long revision)
        => new() { Key = B(key), Target = Compare.Types.CompareTarget.Mod, Result = result, ModRevision = revision };

    public static Compare Value(string key, Compare.Types.CompareResult result, string value)
        => new() { Key = B(key), Target = Compare.Types.CompareTarget.Value, Result = result, Value = B(value) };

    public static Compare Lease(string key, Compare.Types.CompareResult result, long lease)
        => new() { Key = B(key), Target = Compare.Types.CompareTarget.Lease, Result = result, Lease = lease };

    /// <summary>Same compare, applied to every key in [key, rangeEnd).</summary>
    public static Compare Over(this Compare compare, string rangeEnd)
    {
        var c = compare.Clone();
        c.RangeEnd = B(rangeEnd);
        return c;
    }
}

using System.Globalization;
using EtcdProtocol.Etcdserverpb;
using EtcdProtocol.Mvccpb;
using Google.Protobuf;

namespace Election.Etcd;

/// <summary>Request builders for the few shapes of request the recipes send.</summary>
internal static class Keys
{
    public static ByteString Bytes(string key) => ByteString.CopyFromUtf8(key);

    /// <summary>etcd's "prefix" range end: the key with its last byte below 0xff incremented.</summary>
    public static ByteString PrefixEnd(string prefix)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(prefix);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xff)
            {
                bytes[i]++;
                return ByteString.CopyFrom(bytes, 0, i + 1);
            }
        }

        return ByteString.CopyFrom(0);
    }

    /// <summary>The key of a lease holder under a prefix, as Go's <c>fmt.Sprintf("%s%x", pfx, lease)</c>.</summary>
    public static string LeaseKey(string prefixWithSlash, long leaseId) =>
        prefixWithSlash + leaseId.ToString("x", CultureInfo.InvariantCulture);

    public static Compare CreateRevisionIs(string key, long revision) => new()
    {
        Key = Bytes(key),
        Target = Compare.Types.CompareTarget.Create,
        Result = Compare.Types.CompareResult.Equal,
        CreateRevision = revision,
    };

    public static RequestOp Put(string key, ByteString value, long lease = 0) =>
        new() { RequestPut = new PutRequest { Key = Bytes(key), Value = value, Lease = lease } };

    public static RequestOp Get(string key) => new() { RequestRange = new RangeRequest { Key = Bytes(key) } };

    public static RequestOp Delete(string key) => new() { RequestDeleteRange = new DeleteRangeRequest { Key = Bytes(key) } };

    /// <summary>The key with the lowest create revision under a prefix (Go's <c>WithFirstCreate</c>).</summary>
    public static RangeRequest FirstCreated(string prefix) => new()
    {
        Key = Bytes(prefix),
        RangeEnd = PrefixEnd(prefix),
        SortTarget = RangeRequest.Types.SortTarget.Create,
        SortOrder = RangeRequest.Types.SortOrder.Ascend,
        Limit = 1,
    };

    /// <summary>The newest key under a prefix created at or before a revision (<c>WithLastCreate</c> + <c>WithMaxCreateRev</c>).</summary>
    public static RangeRequest LastCreatedUpTo(string prefix, long maxCreateRevision) => new()
    {
        Key = Bytes(prefix),
        RangeEnd = PrefixEnd(prefix),
        SortTarget = RangeRequest.Types.SortTarget.Create,
        SortOrder = RangeRequest.Types.SortOrder.Descend,
        Limit = 1,
        MaxCreateRevision = maxCreateRevision,
    };

    public static KeyValue? Single(RangeResponse response) => response.Kvs.Count > 0 ? response.Kvs[0] : null;
}

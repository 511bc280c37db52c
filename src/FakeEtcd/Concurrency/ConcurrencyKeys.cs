using System.Globalization;
using System.Text;
using EtcdProtocol.Etcdserverpb;
using Google.Protobuf;

namespace FakeEtcd.Concurrency;

/// <summary>Keys and queries of clientv3/concurrency: <c>name/</c> prefixes, lease-hex keys, first/last-created lookups.</summary>
internal static class ConcurrencyKeys
{
    /// <summary><c>name + "/"</c>: the prefix every candidate or waiter of <paramref name="name"/> writes under.</summary>
    public static ByteString Prefix(ByteString name) => Concat(name, "/"u8);

    /// <summary><c>prefix + %x(lease)</c>: lowercase hex, no padding (a negative id is Go's two's complement).</summary>
    public static ByteString Key(ByteString prefix, long lease) =>
        Concat(prefix, Encoding.ASCII.GetBytes(((ulong)lease).ToString("x", CultureInfo.InvariantCulture)));

    /// <summary>The first-created key under the prefix (clientv3 WithFirstCreate).</summary>
    public static RangeRequest FirstCreated(ByteString prefix) => Top(prefix, RangeRequest.Types.SortOrder.Ascend);

    /// <summary>The last-created key under the prefix created at or before <paramref name="maxCreateRevision"/>.</summary>
    public static RangeRequest LastCreatedUpTo(ByteString prefix, long maxCreateRevision)
    {
        var request = Top(prefix, RangeRequest.Types.SortOrder.Descend);
        request.MaxCreateRevision = maxCreateRevision;
        return request;
    }

    public static Compare CreateRevisionIs(ByteString key, long revision) => new()
    {
        Key = key,
        Target = Compare.Types.CompareTarget.Create,
        Result = Compare.Types.CompareResult.Equal,
        CreateRevision = revision,
    };

    private static RangeRequest Top(ByteString prefix, RangeRequest.Types.SortOrder order) => new()
    {
        Key = prefix,
        RangeEnd = PrefixEnd(prefix),
        SortTarget = RangeRequest.Types.SortTarget.Create,
        SortOrder = order,
        Limit = 1,
    };

    /// <summary>clientv3 GetPrefixRangeEnd: the prefix with its last non-0xff byte incremented, or "\0" for all keys.</summary>
    private static ByteString PrefixEnd(ByteString prefix)
    {
        var end = prefix.ToByteArray();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xff)
            {
                end[i]++;
                return ByteString.CopyFrom(end, 0, i + 1);
            }
        }

        return ByteString.CopyFrom(0);
    }

    private static ByteString Concat(ByteString head, ReadOnlySpan<byte> tail)
    {
        var bytes = new byte[head.Length + tail.Length];
        head.Span.CopyTo(bytes);
        tail.CopyTo(bytes.AsSpan(head.Length));
        return ByteString.CopyFrom(bytes);
    }
}

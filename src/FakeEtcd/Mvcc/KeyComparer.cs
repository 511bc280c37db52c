using Google.Protobuf;

namespace FakeEtcd.Mvcc;

/// <summary>Orders keys as etcd does: unsigned byte-wise comparison.</summary>
internal sealed class KeyComparer : IComparer<ByteString>
{
    public static readonly KeyComparer Instance = new();

    public int Compare(ByteString? x, ByteString? y) =>
        (x ?? ByteString.Empty).Span.SequenceCompareTo((y ?? ByteString.Empty).Span);

    public static int CompareKeys(ByteString x, ByteString y) => x.Span.SequenceCompareTo(y.Span);
}

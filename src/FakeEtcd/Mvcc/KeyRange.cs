using Google.Protobuf;

namespace FakeEtcd.Mvcc;

/// <summary>
/// A key or key interval as etcd requests express it: an empty end means the single key,
/// the one-byte end <c>"\0"</c> means every key ≥ <see cref="Key"/>, anything else is [Key, End).
/// </summary>
internal readonly record struct KeyRange(ByteString Key, ByteString End)
{
    public bool IsSingleKey => End.IsEmpty;

    public bool IsUnboundedAbove => End.Length == 1 && End[0] == 0;

    public static KeyRange Single(ByteString key) => new(key, ByteString.Empty);

    public bool Contains(ByteString candidate)
    {
        var fromStart = KeyComparer.CompareKeys(candidate, Key);
        if (IsSingleKey)
        {
            return fromStart == 0;
        }

        return fromStart >= 0 && (IsUnboundedAbove || KeyComparer.CompareKeys(candidate, End) < 0);
    }
}

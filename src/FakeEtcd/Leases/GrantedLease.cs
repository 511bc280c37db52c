using FakeEtcd.Mvcc;
using Google.Protobuf;

namespace FakeEtcd.Leases;

/// <summary>One granted lease: its effective TTL, when it expires, and the keys attached to it.</summary>
internal sealed class GrantedLease(long id, long ttlSeconds)
{
    public long Id { get; } = id;

    /// <summary>The effective TTL in seconds (after the minimum-TTL rule).</summary>
    public long TtlSeconds { get; } = ttlSeconds;

    public DateTimeOffset Deadline { get; set; }

    public SortedSet<ByteString> Keys { get; } = new(KeyComparer.Instance);
}

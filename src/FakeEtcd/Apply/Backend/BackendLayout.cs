using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Cluster;
using FakeEtcd.Leases;
using FakeEtcd.Mvcc;
using Google.Protobuf;

namespace FakeEtcd.Apply.Backend;

/// <summary>
/// etcd 3.4's bucket layout (mvcc, lease, membership, v3alarm and auth packages), filled from FakeEtcd's
/// state: what each bucket of a single member's bbolt file holds.
/// </summary>
internal static class BackendLayout
{
    public const string Meta = "meta";

    public static readonly byte[] ConsistentIndexKey = "consistent_index"u8.ToArray();

    private static readonly byte[] FinishedCompactKey = "finishedCompactRev"u8.ToArray();
    private static readonly byte[] ScheduledCompactKey = "scheduledCompactRev"u8.ToArray();

    /// <summary>The image of the state; the caller holds the apply lock, so every bucket is of one instant.</summary>
    public static BackendImage Capture(
        MvccStore store,
        IEnumerable<GrantedLease> leases,
        IEnumerable<AlarmMember> alarms,
        MemberIdentity member,
        string releaseVersion,
        ulong raftIndex)
    {
        var buckets = new List<BackendBucket>
        {
            Bucket("alarm", alarms.Select(a => Pair(a.ToByteArray(), []))),
            Bucket("auth", [Pair("authRevision"u8.ToArray(), BigEndian(1))]),
            Bucket("authRoles", []),
            Bucket("authUsers", []),
            Bucket("cluster", [Pair("clusterVersion"u8.ToArray(), Encoding.UTF8.GetBytes(ClusterVersion(releaseVersion)))]),
            Bucket("key", KeyBucket(store)),
            Bucket("lease", leases.Select(l => Pair(BigEndian((ulong)l.Id), LeaseValue(l)))),
            Bucket("members", [Pair(Encoding.UTF8.GetBytes(member.MemberId.ToString("x", CultureInfo.InvariantCulture)), MemberJson.Of(member))]),
            Bucket("members_removed", []),
            Bucket(Meta, MetaBucket(store, raftIndex)),
        };
        return new BackendImage(buckets);
    }

    /// <summary>etcd stores the cluster version as major.minor.0 of its release.</summary>
    private static string ClusterVersion(string release)
    {
        var parts = release.Split('.');
        return $"{parts[0]}.{parts[1]}.0";
    }

    /// <summary>
    /// The key bucket: every stored version, keyed by its revision. The store's compaction drops what
    /// etcd's does (mvcc keyIndex.compact), so what is left is what etcd's bucket holds.
    /// </summary>
    private static IEnumerable<KeyValuePair<byte[], byte[]>> KeyBucket(MvccStore store) =>
        from history in store.Index.All
        from version in history.Versions
        select Pair(RevisionKey.For(version), RevisionKey.ValueOf(version, history.Key));

    private static IEnumerable<KeyValuePair<byte[], byte[]>> MetaBucket(MvccStore store, ulong raftIndex)
    {
        yield return Pair(ConsistentIndexKey, BigEndian(raftIndex));
        if (store.CompactRevision > 0)
        {
            var compacted = RevisionKey.For(store.CompactRevision, 0, tombstone: false);
            yield return Pair(FinishedCompactKey, compacted);
            yield return Pair(ScheduledCompactKey, compacted);
        }
    }

    /// <summary>leasepb.Lease {ID = 1, TTL = 2} as etcd persists it at grant (proto3: zero fields omitted).</summary>
    private static byte[] LeaseValue(GrantedLease lease)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var (field, value) in new[] { (1, lease.Id), (2, lease.TtlSeconds) })
        {
            if (value != 0)
            {
                output.WriteTag(field, WireFormat.WireType.Varint);
                output.WriteInt64(value);
            }
        }

        output.Flush();
        return buffer.ToArray();
    }

    private static byte[] BigEndian(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    private static KeyValuePair<byte[], byte[]> Pair(byte[] key, byte[] value) => new(key, value);

    private static BackendBucket Bucket(string name, IEnumerable<KeyValuePair<byte[], byte[]>> entries)
    {
        var sorted = entries.ToList();
        sorted.Sort((a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        return new BackendBucket(name, sorted);
    }
}

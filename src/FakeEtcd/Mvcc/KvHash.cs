using FakeEtcd.Errors;
using Google.Protobuf;

namespace FakeEtcd.Mvcc;

/// <summary>
/// etcd's HashKV (mvcc <c>store.HashByRev</c>): CRC-32C over the key bucket as etcd's backend holds it,
/// so the same history hashes the same on FakeEtcd and on etcd. Each stored revision is hashed as its
/// bucket key (8-byte big-endian main, '_', 8-byte big-endian sub, 't' for a tombstone) then its value
/// (the KeyValue as etcd marshals it; a tombstone's holds only the key), in revision order: every
/// revision above the compaction up to the asked one, and of those at or below the compaction the ones
/// a compaction at the asked revision would keep (all of them when it would keep none, as etcd does).
/// </summary>
internal static class KvHash
{
    private static readonly byte[] KeyBucketName = "key"u8.ToArray();

    /// <summary>The hash at <paramref name="revision"/> (0: the current one), with etcd's errors for compacted and future revisions.</summary>
    public static uint At(MvccStore store, long revision)
    {
        var compacted = store.CompactRevision;
        if (revision > 0 && revision <= compacted)
        {
            throw EtcdErrors.Compacted();
        }

        if (revision > store.CurrentRevision)
        {
            throw EtcdErrors.FutureRevision();
        }

        var upTo = revision == 0 ? store.CurrentRevision : revision;
        var hashed = new List<(KeyVersion Version, ByteString Key)>();
        var compactedKept = new List<(KeyVersion Version, ByteString Key)>();
        var anyKept = false;
        foreach (var history in store.Index.All)
        {
            var versions = history.Versions;
            var newest = LastAtOrBefore(versions, upTo);
            anyKept |= newest >= 0 && versions[newest].Value is not null;
            for (var i = 0; i <= newest; i++)
            {
                var version = versions[i];
                if (version.Revision > compacted)
                {
                    hashed.Add((version, history.Key));
                }
                else if (version.Value is not null)
                {
                    // At or below the compaction the backend holds only the version live then; it counts
                    // when a compaction at upTo would keep it too (it is still the newest one).
                    (i == newest ? hashed : compactedKept).Add((version, history.Key));
                }
            }
        }

        if (!anyKept)
        {
            hashed.AddRange(compactedKept);
        }

        hashed.Sort((a, b) => a.Version.Revision != b.Version.Revision ? a.Version.Revision.CompareTo(b.Version.Revision) : a.Version.Sub.CompareTo(b.Version.Sub));
        var crc = Crc32C.Update(Crc32C.Start, KeyBucketName);
        Span<byte> bucketKey = stackalloc byte[RevisionKey.TombstoneLength];
        foreach (var (version, key) in hashed)
        {
            var length = RevisionKey.Write(bucketKey, version.Revision, version.Sub, tombstone: version.Value is null);
            crc = Crc32C.Update(crc, bucketKey[..length]);
            crc = Crc32C.Update(crc, RevisionKey.ValueOf(version, key));
        }

        return Crc32C.Finish(crc);
    }

    private static int LastAtOrBefore(IReadOnlyList<KeyVersion> versions, long revision)
    {
        for (var i = versions.Count - 1; i >= 0; i--)
        {
            if (versions[i].Revision <= revision)
            {
                return i;
            }
        }

        return -1;
    }
}

using System.Text;
using FakeEtcd.Mvcc;

namespace FakeEtcd.Apply.Backend;

/// <summary>
/// The state as etcd 3.4's backend (bbolt) holds it: buckets in name order, each with its pairs in key
/// order. What etcd's Maintenance Hash checksums, and what a snapshot of etcd's format would write.
/// </summary>
internal sealed class BackendImage(IReadOnlyList<BackendBucket> buckets)
{
    public IReadOnlyList<BackendBucket> Buckets { get; } = buckets;

    /// <summary>
    /// etcd's backend Hash: CRC-32C over each bucket's name then each of its keys and values, skipping
    /// meta's consistent_index (mvcc DefaultIgnores), so the same state hashes as on etcd.
    /// </summary>
    public uint Hash()
    {
        var crc = Crc32C.Start;
        foreach (var bucket in Buckets)
        {
            crc = Crc32C.Update(crc, Encoding.UTF8.GetBytes(bucket.Name));
            foreach (var (key, value) in bucket.Entries)
            {
                if (bucket.Name == BackendLayout.Meta && key.AsSpan().SequenceEqual(BackendLayout.ConsistentIndexKey))
                {
                    continue;
                }

                crc = Crc32C.Update(crc, key);
                crc = Crc32C.Update(crc, value);
            }
        }

        return Crc32C.Finish(crc);
    }
}

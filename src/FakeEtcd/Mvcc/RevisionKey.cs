using System.Buffers.Binary;
using EtcdProtocol.Mvccpb;
using Google.Protobuf;

namespace FakeEtcd.Mvcc;

/// <summary>
/// How etcd's backend keys a revision (mvcc revToBytes): 8-byte big-endian main revision, '_', 8-byte
/// big-endian sub revision, and a trailing 't' for a tombstone.
/// </summary>
internal static class RevisionKey
{
    public const int Length = 17;

    public const int TombstoneLength = 18;

    /// <summary>Writes the key into <paramref name="into"/> (at least <see cref="TombstoneLength"/> bytes) and returns its length.</summary>
    public static int Write(Span<byte> into, long main, long sub, bool tombstone)
    {
        BinaryPrimitives.WriteInt64BigEndian(into, main);
        into[8] = (byte)'_';
        BinaryPrimitives.WriteInt64BigEndian(into[9..], sub);
        if (!tombstone)
        {
            return Length;
        }

        into[17] = (byte)'t';
        return TombstoneLength;
    }

    /// <summary>The key of a stored version (a tombstone when it has no value).</summary>
    public static byte[] For(KeyVersion version) => For(version.Revision, version.Sub, tombstone: version.Value is null);

    /// <summary>What etcd's key bucket holds for a stored version: its KeyValue, or for a tombstone a KeyValue with only the key.</summary>
    public static byte[] ValueOf(KeyVersion version, ByteString key) => (version.Value ?? new KeyValue { Key = key }).ToByteArray();

    public static byte[] For(long main, long sub, bool tombstone)
    {
        var key = new byte[tombstone ? TombstoneLength : Length];
        Write(key, main, sub, tombstone);
        return key;
    }
}

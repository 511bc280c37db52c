using System.Buffers.Binary;
using System.Numerics;

namespace FakeEtcd.Mvcc;

/// <summary>CRC-32C (Castagnoli), the checksum etcd's hashes use, on the CPU's instruction where there is one.</summary>
internal static class Crc32C
{
    /// <summary>The running value before any data (Go's crc32 starts from the complement of 0).</summary>
    public const uint Start = uint.MaxValue;

    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    /// <summary>The checksum of everything fed since <see cref="Start"/>.</summary>
    public static uint Finish(uint crc) => ~crc;
}

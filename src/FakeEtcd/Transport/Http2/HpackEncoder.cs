using System.Buffers;

namespace FakeEtcd.Transport.Http2;

/// <summary>
/// The few HPACK representations the repairer emits. It never adds to the receiver's dynamic
/// table, so strings go out raw (no Huffman) and no encoder state is kept.
/// </summary>
internal static class HpackEncoder
{
    /// <summary>Indexed header field (RFC 7541 §6.1).</summary>
    public static void WriteIndexed(IBufferWriter<byte> output, int index) => WriteInteger(output, index, 7, 0x80);

    /// <summary>Dynamic table size update (RFC 7541 §6.3).</summary>
    public static void WriteTableSizeUpdate(IBufferWriter<byte> output, int size) => WriteInteger(output, size, 5, 0x20);

    /// <summary>
    /// Literal without indexing or never indexed (RFC 7541 §6.2.2, §6.2.3), naming the static
    /// entry <paramref name="staticNameIndex"/> or, when it is 0, spelling out the name.
    /// </summary>
    public static void WriteLiteral(IBufferWriter<byte> output, int staticNameIndex, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed)
    {
        WriteInteger(output, staticNameIndex, 4, neverIndexed ? (byte)0x10 : (byte)0x00);
        if (staticNameIndex == 0)
        {
            WriteString(output, name);
        }

        WriteString(output, value);
    }

    /// <summary>An RFC 7541 §5.1 integer with an <paramref name="prefixBits"/>-bit prefix.</summary>
    public static void WriteInteger(IBufferWriter<byte> output, int value, int prefixBits, byte flags)
    {
        var span = output.GetSpan(6);
        var mask = (1 << prefixBits) - 1;
        if (value < mask)
        {
            span[0] = (byte)(flags | value);
            output.Advance(1);
            return;
        }

        span[0] = (byte)(flags | mask);
        var written = 1;
        value -= mask;
        while (value >= 0x80)
        {
            span[written++] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }

        span[written++] = (byte)value;
        output.Advance(written);
    }

    /// <summary>A raw (non-Huffman) string literal (RFC 7541 §5.2).</summary>
    public static void WriteString(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        WriteInteger(output, value.Length, 7, 0x00);
        output.Write(value);
    }
}

namespace FakeEtcd.Transport.Http2;

/// <summary>Decodes the HPACK Huffman code (RFC 7541 Appendix B).</summary>
/// <remarks>
/// The code is canonical, so the code lengths alone define it: codes are assigned in order
/// of (length, symbol). Decoding walks bit by bit, which is plenty for header strings.
/// </remarks>
internal static class Huffman
{
    private const int Eos = 256;
    private const int MaxCodeLength = 30;

    // Code length of each symbol 0..255, then EOS (RFC 7541 Appendix B).
    private static readonly byte[] CodeLengths =
    [
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
        30,
    ];

    // Canonical decoding tables, indexed by code length.
    private static readonly int[] FirstCode = new int[MaxCodeLength + 1];
    private static readonly int[] Count = new int[MaxCodeLength + 1];
    private static readonly int[] Offset = new int[MaxCodeLength + 1];
    private static readonly short[] Symbols = BuildTables();

    /// <summary>An upper bound on the decoded length: the shortest code is 5 bits.</summary>
    public static int MaxDecodedLength(int encodedLength) => (int)((encodedLength * 8L / 5) + 1);

    /// <summary>
    /// Decodes <paramref name="source"/> into <paramref name="destination"/>, which must hold
    /// <see cref="MaxDecodedLength"/> bytes. Returns false for EOS in the string or bad padding.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, Span<byte> destination, out int written)
    {
        written = 0;
        var code = 0;
        var length = 0;
        foreach (var b in source)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                code = (code << 1) | ((b >> bit) & 1);
                length++;
                var index = code - FirstCode[length];
                if ((uint)index < (uint)Count[length])
                {
                    var symbol = Symbols[Offset[length] + index];
                    if (symbol == Eos)
                    {
                        return false;
                    }

                    destination[written++] = (byte)symbol;
                    code = 0;
                    length = 0;
                }
                else if (length == MaxCodeLength)
                {
                    return false;
                }
            }
        }

        // Padding: fewer than 8 bits, all ones (a prefix of EOS).
        return length <= 7 && code == (1 << length) - 1;
    }

    private static short[] BuildTables()
    {
        var symbols = new short[CodeLengths.Length];
        var next = 0;
        var code = 0;
        for (var length = 1; length <= MaxCodeLength; length++)
        {
            FirstCode[length] = code;
            Offset[length] = next;
            for (var symbol = 0; symbol < CodeLengths.Length; symbol++)
            {
                if (CodeLengths[symbol] == length)
                {
                    symbols[next++] = (short)symbol;
                    Count[length]++;
                }
            }

            code = (code + Count[length]) << 1;
        }

        return symbols;
    }
}

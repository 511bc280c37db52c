namespace FakeEtcd.Transport.Http2;

/// <summary>
/// An RFC 7541 header block decoder that keeps its dynamic table in step with the peer's encoder.
/// </summary>
/// <param name="maxTableSize">
/// The SETTINGS_HEADER_TABLE_SIZE the receiver advertised: the initial table size and the
/// ceiling for dynamic table size updates.
/// </param>
internal sealed class HpackDecoder(int maxTableSize = 4096)
{
    private byte[] _nameScratch = new byte[64];
    private byte[] _valueScratch = new byte[256];

    /// <summary>The dynamic table, as the peer's encoder sees it.</summary>
    public HpackDynamicTable Table { get; } = new(maxTableSize);

    /// <summary>
    /// Decodes one complete header block, passing each field to <paramref name="sink"/>.
    /// Throws <see cref="HpackDecodingException"/> on malformed input.
    /// </summary>
    public void Decode(ReadOnlySpan<byte> block, IHpackSink sink)
    {
        var position = 0;
        var fieldSeen = false;
        while (position < block.Length)
        {
            var first = block[position];
            if ((first & 0x80) != 0)
            {
                var index = ReadInteger(block, ref position, 7);
                var staticIndex = Lookup(index, out var name, out var value);
                sink.OnField(new HpackField(name, value, HpackRepresentation.Indexed, staticIndex));
                fieldSeen = true;
            }
            else if ((first & 0xC0) == 0x40)
            {
                DecodeLiteral(block, ref position, 6, HpackRepresentation.IncrementalIndexing, sink);
                fieldSeen = true;
            }
            else if ((first & 0xE0) == 0x20)
            {
                // Size updates are only allowed before the first field (RFC 7541 §4.2).
                if (fieldSeen)
                {
                    throw new HpackDecodingException("dynamic table size update after a header field");
                }

                var size = ReadInteger(block, ref position, 5);
                if (size > maxTableSize)
                {
                    throw new HpackDecodingException("dynamic table size update above SETTINGS_HEADER_TABLE_SIZE");
                }

                Table.SetMaxSize(size);
            }
            else
            {
                var kind = (first & 0x10) != 0 ? HpackRepresentation.NeverIndexed : HpackRepresentation.WithoutIndexing;
                DecodeLiteral(block, ref position, 4, kind, sink);
                fieldSeen = true;
            }
        }
    }

    /// <summary>Reads an RFC 7541 §5.1 integer with an <paramref name="prefixBits"/>-bit prefix.</summary>
    internal static int ReadInteger(ReadOnlySpan<byte> block, scoped ref int position, int prefixBits)
    {
        var mask = (1 << prefixBits) - 1;
        var value = block[position++] & mask;
        if (value < mask)
        {
            return value;
        }

        for (var shift = 0; ; shift += 7)
        {
            if (position >= block.Length)
            {
                throw new HpackDecodingException("truncated integer");
            }

            if (shift > 21)
            {
                throw new HpackDecodingException("integer overflow");
            }

            var b = block[position++];
            value += (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    private void DecodeLiteral(ReadOnlySpan<byte> block, ref int position, int prefixBits, HpackRepresentation kind, IHpackSink sink)
    {
        var nameIndex = ReadInteger(block, ref position, prefixBits);
        ReadOnlySpan<byte> name;
        var staticIndex = 0;
        if (nameIndex == 0)
        {
            name = ReadString(block, ref position, ref _nameScratch);
        }
        else
        {
            staticIndex = Lookup(nameIndex, out name, out _);
        }

        var value = ReadString(block, ref position, ref _valueScratch);
        if (kind != HpackRepresentation.IncrementalIndexing)
        {
            sink.OnField(new HpackField(name, value, kind, staticIndex));
            return;
        }

        // Copy before adding: the name may live in an entry the insertion evicts (RFC 7541 §4.4).
        var nameCopy = name.ToArray();
        var valueCopy = value.ToArray();
        Table.Add(nameCopy, valueCopy);
        sink.OnField(new HpackField(nameCopy, valueCopy, kind, staticIndex));
    }

    // Resolves an index; returns it if static, else 0.
    private int Lookup(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        if (index == 0)
        {
            throw new HpackDecodingException("index 0");
        }

        if (index <= HpackStaticTable.Count)
        {
            name = HpackStaticTable.Name(index);
            value = HpackStaticTable.Value(index);
            return index;
        }

        var dynamicIndex = index - HpackStaticTable.Count;
        if (dynamicIndex > Table.Count)
        {
            throw new HpackDecodingException("index beyond the dynamic table");
        }

        var entry = Table[dynamicIndex];
        name = entry.Name;
        value = entry.Value;
        return 0;
    }

    private static ReadOnlySpan<byte> ReadString(ReadOnlySpan<byte> block, scoped ref int position, ref byte[] scratch)
    {
        if (position >= block.Length)
        {
            throw new HpackDecodingException("truncated string");
        }

        var huffman = (block[position] & 0x80) != 0;
        var length = ReadInteger(block, ref position, 7);
        if (length > block.Length - position)
        {
            throw new HpackDecodingException("string longer than the block");
        }

        var raw = block.Slice(position, length);
        position += length;
        if (!huffman)
        {
            return raw;
        }

        var needed = Huffman.MaxDecodedLength(length);
        if (scratch.Length < needed)
        {
            scratch = new byte[Math.Max(needed, scratch.Length * 2)];
        }

        if (!Huffman.TryDecode(raw, scratch, out var written))
        {
            throw new HpackDecodingException("invalid Huffman string");
        }

        return scratch.AsSpan(0, written);
    }
}

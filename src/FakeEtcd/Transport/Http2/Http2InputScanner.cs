using System.Buffers;

namespace FakeEtcd.Transport.Http2;

/// <summary>
/// Walks the client→server HTTP/2 byte stream of one connection: the preface, then frames.
/// Frames other than HEADERS pass untouched; each header block is decoded once, when complete,
/// and either passes or is replaced by a repaired block.
/// </summary>
/// <param name="maxTableSize">Kestrel's SETTINGS_HEADER_TABLE_SIZE.</param>
internal sealed class Http2InputScanner(int maxTableSize)
{
    /// <summary>
    /// The largest header block waited for. Kestrel rejects far smaller ones; past this we stop
    /// inspecting instead of holding back its input indefinitely.
    /// </summary>
    public const int MaxBufferedBlock = 256 * 1024;

    private readonly HeaderBlockRewriter _rewriter = new(maxTableSize);
    private byte[] _blockScratch = new byte[1024];
    private bool _prefaceSeen;
    private long _payloadRemaining;
    private bool _passAll;

    private enum BlockResult
    {
        Incomplete,
        Malformed,
        PassThrough,
        Rewritten,
    }

    /// <summary>
    /// Classifies <paramref name="buffer"/> from <paramref name="offset"/>, where the previous
    /// call stopped. Returns the end of the bytes that pass through unchanged. When
    /// <paramref name="replacement"/> is set, the <paramref name="replacedLength"/> bytes at that
    /// end must be replaced by it, and the next call starts after them.
    /// </summary>
    /// <exception cref="IOException">Malformed input after a repair: the connection must close.</exception>
    public long Scan(in ReadOnlySequence<byte> buffer, long offset, out byte[]? replacement, out long replacedLength)
    {
        replacement = null;
        replacedLength = 0;
        if (_passAll)
        {
            return buffer.Length;
        }

        var reader = new SequenceReader<byte>(buffer);
        reader.Advance(offset);
        Span<byte> header = stackalloc byte[Http2Frame.HeaderLength + Http2Frame.Preface.Length];
        if (!_prefaceSeen)
        {
            var available = (int)Math.Min(reader.Remaining, Http2Frame.Preface.Length);
            reader.TryCopyTo(header[..available]);
            if (!header[..available].SequenceEqual(Http2Frame.Preface[..available]))
            {
                // Not prior-knowledge HTTP/2: let Kestrel deal with it.
                return PassAll(buffer);
            }

            if (available < Http2Frame.Preface.Length)
            {
                return offset;
            }

            reader.Advance(available);
            _prefaceSeen = true;
        }

        header = header[..Http2Frame.HeaderLength];
        while (true)
        {
            if (_payloadRemaining > 0)
            {
                var skip = Math.Min(reader.Remaining, _payloadRemaining);
                reader.Advance(skip);
                _payloadRemaining -= skip;
                if (_payloadRemaining > 0)
                {
                    return reader.Consumed;
                }
            }

            if (!reader.TryCopyTo(header))
            {
                return reader.Consumed;
            }

            var (length, type, _, _) = Http2Frame.ReadHeader(header);
            if (type != Http2Frame.TypeHeaders)
            {
                reader.Advance(Http2Frame.HeaderLength);
                _payloadRemaining = length;
                continue;
            }

            var blockStart = reader.Consumed;
            switch (ReadBlock(ref reader, out replacement))
            {
                case BlockResult.Incomplete:
                    return blockStart;
                case BlockResult.Rewritten:
                    replacedLength = reader.Consumed - blockStart;
                    return blockStart;
                case BlockResult.Malformed when _rewriter.RewritingConnection:
                    throw new IOException("malformed HTTP/2 header block after an :authority repair");
                case BlockResult.Malformed:
                    return PassAll(buffer);
                default:
                    continue;
            }
        }
    }

    private long PassAll(in ReadOnlySequence<byte> buffer)
    {
        _passAll = true;
        return buffer.Length;
    }

    // Reads the HEADERS frame at the reader and its CONTINUATIONs; advances past them unless incomplete.
    private BlockResult ReadBlock(ref SequenceReader<byte> reader, out byte[]? replacement)
    {
        replacement = null;
        var probe = reader;
        Span<byte> header = stackalloc byte[Http2Frame.HeaderLength];
        Span<byte> priority = stackalloc byte[Http2Frame.PriorityLength];
        probe.TryCopyTo(header);
        var (length, _, flags, streamId) = Http2Frame.ReadHeader(header);
        if (probe.Remaining < Http2Frame.HeaderLength + length)
        {
            return reader.Remaining >= MaxBufferedBlock ? BlockResult.Malformed : BlockResult.Incomplete;
        }

        probe.Advance(Http2Frame.HeaderLength);
        var payload = probe.UnreadSequence.Slice(0, length);
        probe.Advance(length);

        var prefix = 0;
        var padding = 0;
        if ((flags & Http2Frame.FlagPadded) != 0)
        {
            if (length < 1)
            {
                return BlockResult.Malformed;
            }

            padding = payload.FirstSpan[0];
            prefix = 1;
        }

        if ((flags & Http2Frame.FlagPriority) != 0)
        {
            if (length < prefix + Http2Frame.PriorityLength)
            {
                return BlockResult.Malformed;
            }

            payload.Slice(prefix, Http2Frame.PriorityLength).CopyTo(priority);
            prefix += Http2Frame.PriorityLength;
        }
        else
        {
            priority = [];
        }

        if (streamId == 0 || prefix + padding > length)
        {
            return BlockResult.Malformed;
        }

        var fragment = payload.Slice(prefix, length - prefix - padding);
        ReadOnlySpan<byte> block;
        if ((flags & Http2Frame.FlagEndHeaders) != 0 && fragment.IsSingleSegment)
        {
            block = fragment.FirstSpan;
        }
        else
        {
            var collected = Collect(ref probe, fragment, flags, streamId, header);
            if (collected < 0)
            {
                return collected == -1 && reader.Remaining < MaxBufferedBlock ? BlockResult.Incomplete : BlockResult.Malformed;
            }

            block = _blockScratch.AsSpan(0, collected);
        }

        switch (_rewriter.Process(block))
        {
            case HeaderBlockOutcome.Malformed:
                return BlockResult.Malformed;
            case HeaderBlockOutcome.Rewritten:
                replacement = Http2Frame.WriteHeaders(streamId, flags, priority, _rewriter.Rewritten);
                reader = probe;
                return BlockResult.Rewritten;
            default:
                reader = probe;
                return BlockResult.PassThrough;
        }
    }

    // Gathers the block into _blockScratch: returns its length, -1 if incomplete, -2 if malformed.
    private int Collect(ref SequenceReader<byte> probe, in ReadOnlySequence<byte> first, byte flags, int streamId, scoped Span<byte> header)
    {
        var written = Append(0, first);
        while ((flags & Http2Frame.FlagEndHeaders) == 0)
        {
            if (!probe.TryCopyTo(header))
            {
                return -1;
            }

            (var length, var type, flags, var continuationStream) = Http2Frame.ReadHeader(header);
            if (type != Http2Frame.TypeContinuation || continuationStream != streamId)
            {
                return -2;
            }

            if (probe.Remaining < Http2Frame.HeaderLength + length)
            {
                return -1;
            }

            probe.Advance(Http2Frame.HeaderLength);
            written = Append(written, probe.UnreadSequence.Slice(0, length));
            probe.Advance(length);
        }

        return written;
    }

    private int Append(int written, in ReadOnlySequence<byte> fragment)
    {
        var needed = written + (int)fragment.Length;
        if (_blockScratch.Length < needed)
        {
            Array.Resize(ref _blockScratch, Math.Max(needed, _blockScratch.Length * 2));
        }

        fragment.CopyTo(_blockScratch.AsSpan(written));
        return needed;
    }
}

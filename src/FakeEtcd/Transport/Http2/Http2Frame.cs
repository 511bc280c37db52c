using System.Buffers.Binary;

namespace FakeEtcd.Transport.Http2;

/// <summary>HTTP/2 frame layout constants and the HEADERS/CONTINUATION writer (RFC 9113 §4, §6.2, §6.10).</summary>
internal static class Http2Frame
{
    public const int HeaderLength = 9;
    public const int PriorityLength = 5;
    public const byte TypeHeaders = 0x1;
    public const byte TypeContinuation = 0x9;
    public const byte FlagEndStream = 0x1;
    public const byte FlagEndHeaders = 0x4;
    public const byte FlagPadded = 0x8;
    public const byte FlagPriority = 0x20;

    /// <summary>SETTINGS_MAX_FRAME_SIZE's initial value, which every HTTP/2 server accepts.</summary>
    public const int MaxPayload = 16384;

    /// <summary>The client connection preface (RFC 9113 §3.4).</summary>
    public static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>Parses a 9-byte frame header.</summary>
    public static (int Length, byte Type, byte Flags, int StreamId) ReadHeader(ReadOnlySpan<byte> header) => (
        (header[0] << 16) | (header[1] << 8) | header[2],
        header[3],
        header[4],
        (int)(BinaryPrimitives.ReadUInt32BigEndian(header[5..]) & 0x7FFFFFFF));

    /// <summary>
    /// Frames <paramref name="block"/> as one HEADERS frame plus CONTINUATION frames as needed,
    /// keeping END_STREAM and the priority fields and dropping padding.
    /// </summary>
    public static byte[] WriteHeaders(int streamId, byte flags, ReadOnlySpan<byte> priority, ReadOnlySpan<byte> block)
    {
        var firstCapacity = MaxPayload - priority.Length;
        var continuations = block.Length <= firstCapacity ? 0 : (block.Length - firstCapacity + MaxPayload - 1) / MaxPayload;
        var frames = new byte[((1 + continuations) * HeaderLength) + priority.Length + block.Length];
        var span = frames.AsSpan();

        var firstChunk = Math.Min(block.Length, firstCapacity);
        var headersFlags = (byte)((flags & (FlagEndStream | FlagPriority)) | (continuations == 0 ? FlagEndHeaders : 0));
        WriteHeader(span, priority.Length + firstChunk, TypeHeaders, headersFlags, streamId);
        priority.CopyTo(span[HeaderLength..]);
        block[..firstChunk].CopyTo(span[(HeaderLength + priority.Length)..]);
        span = span[(HeaderLength + priority.Length + firstChunk)..];
        block = block[firstChunk..];

        while (!block.IsEmpty)
        {
            var chunk = Math.Min(block.Length, MaxPayload);
            var last = chunk == block.Length;
            WriteHeader(span, chunk, TypeContinuation, last ? FlagEndHeaders : (byte)0, streamId);
            block[..chunk].CopyTo(span[HeaderLength..]);
            span = span[(HeaderLength + chunk)..];
            block = block[chunk..];
        }

        return frames;
    }

    private static void WriteHeader(Span<byte> destination, int length, byte type, byte flags, int streamId)
    {
        destination[0] = (byte)(length >> 16);
        destination[1] = (byte)(length >> 8);
        destination[2] = (byte)length;
        destination[3] = type;
        destination[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], (uint)streamId);
    }
}

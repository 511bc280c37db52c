using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using FakeEtcd.Transport.Http2;

namespace FakeEtcd.Tests.Hosting;

/// <summary>Builds client byte streams and plays Kestrel on the repaired side.</summary>
internal static class Http2Frames
{
    public const byte Data = 0x0;
    public const byte Headers = 0x1;
    public const byte Settings = 0x4;
    public const byte Continuation = 0x9;

    public static byte[] Frame(byte type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId);
        payload.CopyTo(frame.AsSpan(9));
        return frame;
    }

    /// <summary>A complete header block in one HEADERS frame.</summary>
    public static byte[] HeadersFrame(int streamId, byte[] block, byte extraFlags = 0) =>
        Frame(Headers, (byte)(0x4 | extraFlags), streamId, block);

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    public static byte[] Client(params byte[][] frames) =>
        Concat([Http2Frame.Preface.ToArray(), Frame(Settings, 0, 0, []), .. frames]);

    /// <summary>
    /// Feeds <paramref name="input"/> through the repairer in chunks of <paramref name="chunk"/>
    /// bytes and reads it like Kestrel does: the preface, then only whole frames.
    /// </summary>
    public static async Task<byte[]> RepairAsync(byte[] input, int chunk = int.MaxValue)
    {
        var pipe = new Pipe();
        var reader = new AuthorityRepairingPipeReader(pipe.Reader, new Http2InputScanner(4096));
        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < input.Length; i += chunk)
            {
                await pipe.Writer.WriteAsync(input.AsMemory(i, Math.Min(chunk, input.Length - i)));
            }

            await pipe.Writer.CompleteAsync();
        });

        var output = new List<byte>();
        var prefaceSeen = false;
        while (true)
        {
            var result = await reader.ReadAsync();
            var buffer = result.Buffer;
            if (!prefaceSeen && buffer.Length >= 24)
            {
                output.AddRange(buffer.Slice(0, 24).ToArray());
                buffer = buffer.Slice(24);
                prefaceSeen = true;
            }

            while (prefaceSeen && buffer.Length >= 9)
            {
                var header = buffer.Slice(0, 9).ToArray();
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                if (buffer.Length < 9 + length)
                {
                    break;
                }

                output.AddRange(buffer.Slice(0, 9 + length).ToArray());
                buffer = buffer.Slice(9 + length);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                Assert.True(buffer.IsEmpty, "input ended inside a frame");
                break;
            }
        }

        await writing;
        await reader.CompleteAsync();
        return [.. output];
    }

    /// <summary>Splits the bytes after the preface into frames.</summary>
    public static List<(byte Type, byte Flags, int StreamId, byte[] Payload)> Parse(byte[] stream)
    {
        Assert.Equal(Http2Frame.Preface.ToArray(), stream[..24]);
        var frames = new List<(byte, byte, int, byte[])>();
        for (var i = 24; i < stream.Length;)
        {
            var length = (stream[i] << 16) | (stream[i + 1] << 8) | stream[i + 2];
            var streamId = BinaryPrimitives.ReadInt32BigEndian(stream.AsSpan(i + 5)) & 0x7FFFFFFF;
            frames.Add((stream[i + 3], stream[i + 4], streamId, stream[(i + 9)..(i + 9 + length)]));
            i += 9 + length;
        }

        return frames;
    }

    /// <summary>Decodes every header block of a stream with a fresh decoder, as Kestrel would.</summary>
    public static List<List<(string Name, string Value)>> DecodeBlocks(byte[] stream)
    {
        var decoder = new HpackDecoder(4096);
        var blocks = new List<List<(string, string)>>();
        var pending = new List<byte>();
        foreach (var (type, flags, _, payload) in Parse(stream))
        {
            if (type is not (Headers or Continuation))
            {
                continue;
            }

            Assert.True(payload.Length <= 16384);
            var fragment = payload.AsSpan();
            if (type == Headers && (flags & 0x8) != 0)
            {
                fragment = fragment[1..^fragment[0]];
            }

            if (type == Headers && (flags & 0x20) != 0)
            {
                fragment = fragment[5..];
            }

            pending.AddRange(fragment.ToArray());
            if ((flags & 0x4) != 0)
            {
                blocks.Add(FieldList.Decode(decoder, pending.ToArray()));
                pending.Clear();
            }
        }

        return blocks;
    }
}

namespace FakeEtcd.Grpc.UrlClients;

/// <summary>
/// Follows gRPC's length-prefixed framing (a flag byte, a 4-byte big-endian length, the message) over
/// the bytes of one direction of a call, so a counting stream knows where each message starts and ends.
/// </summary>
internal sealed class GrpcFrames
{
    private const int HeaderLength = 5;
    private readonly byte[] _header = new byte[HeaderLength];
    private int _headerRead;
    private long _bodyLeft;

    /// <summary>Consumes <paramref name="bytes"/>; returns how many messages they started and how many they completed.</summary>
    public (int Started, int Completed) Advance(ReadOnlySpan<byte> bytes)
    {
        var started = 0;
        var completed = 0;
        while (!bytes.IsEmpty)
        {
            if (_headerRead < HeaderLength)
            {
                if (_headerRead == 0)
                {
                    started++;
                }

                var take = Math.Min(HeaderLength - _headerRead, bytes.Length);
                bytes[..take].CopyTo(_header.AsSpan(_headerRead));
                _headerRead += take;
                bytes = bytes[take..];
                if (_headerRead < HeaderLength)
                {
                    break;
                }

                _bodyLeft = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(1));
            }

            var body = (int)Math.Min(_bodyLeft, bytes.Length);
            _bodyLeft -= body;
            bytes = bytes[body..];
            if (_bodyLeft == 0)
            {
                _headerRead = 0;
                completed++;
            }
        }

        return (started, completed);
    }
}

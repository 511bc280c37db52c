using System.Net.Sockets;
using FakeEtcd.Transport.Http2;
using static FakeEtcd.Tests.Hosting.Http2Frames;

namespace FakeEtcd.Tests.Hosting;

/// <summary>Hand-written h2c requests against the real server, so Kestrel's own HPACK decoder judges the repair.</summary>
public class RawH2cTests
{
    private static readonly byte[] RangeMessage = [0, 0, 0, 0, 3, 0x0a, 0x01, 0x61];

    [Fact]
    public async Task RepairedConnectionServesRequestsThatReferToTheIndexedBadAuthority()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: ct);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.ClientUrl.Host, server.ClientUrl.Port, ct);
        var stream = tcp.GetStream();

        var request = Client(
            HeadersFrame(1, Request().Indexing(":authority", "http://127.0.0.1:2379", 1).Indexing("content-type", "application/grpc", 31).Indexing("te", "trailers").Build()),
            Frame(Data, 0x1, 1, RangeMessage),
            HeadersFrame(3, new BlockBuilder().Indexed(3).Indexed(6).Indexed(65).Indexed(64).Indexed(63).Indexed(62).Build()),
            Frame(Data, 0x1, 3, RangeMessage),
            HeadersFrame(5, Request().Literal(":authority", "localhost:1", nameIndex: 1).Indexed(64).Indexed(63).Build()),
            Frame(Data, 0x1, 5, RangeMessage));
        await stream.WriteAsync(request, ct);

        var grpcStatus = await ReadTrailersAsync(stream, [1, 3, 5], ct);

        Assert.Equal(["0", "0", "0"], grpcStatus);
    }

    // Method, scheme and an indexed path, like grpc-go.
    private static BlockBuilder Request() => new BlockBuilder()
        .Indexed(3)
        .Indexed(6)
        .Indexing(":path", "/etcdserverpb.KV/Range", 4);

    // Reads server frames until every stream has ended; returns grpc-status per stream, or the failure seen.
    private static async Task<string[]> ReadTrailersAsync(NetworkStream stream, int[] streams, CancellationToken ct)
    {
        var decoder = new HpackDecoder(4096);
        var status = streams.ToDictionary(s => s, _ => (string?)null);
        var header = new byte[9];
        while (status.Values.Any(v => v is null))
        {
            await stream.ReadExactlyAsync(header, ct);
            var (length, type, flags, streamId) = Http2Frame.ReadHeader(header);
            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload, ct);
            switch (type)
            {
                case Headers:
                    var fields = FieldList.Decode(decoder, payload);
                    if ((flags & 0x1) != 0)
                    {
                        status[streamId] = fields.SingleOrDefault(f => f.Name == "grpc-status").Value ?? "no grpc-status";
                    }

                    break;
                case 0x3:
                    status[streamId] = $"RST_STREAM {payload[3]}";
                    break;
                case 0x7:
                    return [$"GOAWAY {payload[7]}"];
            }
        }

        return [.. streams.Select(s => status[s]!)];
    }
}

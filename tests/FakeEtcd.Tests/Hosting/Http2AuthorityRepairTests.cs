using System.Buffers;
using System.IO.Pipelines;
using FakeEtcd.Transport.Http2;
using static FakeEtcd.Tests.Hosting.Http2Frames;

namespace FakeEtcd.Tests.Hosting;

public class Http2AuthorityRepairTests
{
    private static readonly byte[] Body = Frame(Data, 0x1, 1, [0, 0, 0, 0, 2, 8, 1]);

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(7)]
    public async Task ValidAuthorityPassesByteForByte(int chunk)
    {
        var input = Client(
            HeadersFrame(1, Request("127.0.0.1:2379").Build()),
            Body,
            HeadersFrame(3, new BlockBuilder().Indexed(3).Indexed(6).Indexed(64).Indexed(63).Indexed(62).Build()));

        Assert.Equal(input, await RepairAsync(input, chunk));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(10)]
    public async Task InvalidAuthorityIsRepairedAndLaterReferencesStayConsistent(int chunk)
    {
        // The client indexes its bad authority and refers to it, and to its other entries, later.
        var input = Client(
            HeadersFrame(1, Request("http://127.0.0.1:23791").Build()),
            Body,
            HeadersFrame(3, new BlockBuilder().Indexed(3).Indexed(6).Indexed(64).Indexed(63).Indexed(62).Build()),
            HeadersFrame(5, new BlockBuilder().Indexed(3).Indexed(6).Indexing(":path", "/etcdserverpb.KV/Put", 4).Indexed(64).Indexed(63).Build()));

        var output = await RepairAsync(input, chunk);

        (string, string)[] range = [(":method", "POST"), (":scheme", "http"), (":path", "/etcdserverpb.KV/Range"), (":authority", "127.0.0.1:23791"), ("content-type", "application/grpc")];
        (string, string)[] put = [(":method", "POST"), (":scheme", "http"), (":path", "/etcdserverpb.KV/Put"), (":authority", "127.0.0.1:23791"), ("content-type", "application/grpc")];
        var blocks = DecodeBlocks(output);
        Assert.Equal(3, blocks.Count);
        Assert.Equal(range, blocks[0]);
        Assert.Equal(range, blocks[1]);
        Assert.Equal(put, blocks[2]);
        Assert.Contains(Parse(output), f => f.Type == Data && f.Payload.SequenceEqual(Body[9..]));
    }

    [Fact]
    public async Task RepairAfterPassedThroughBlocksKeepsOlderReferencesRight()
    {
        // Block 1 passes, filling the server's table; block 2 is repaired; block 3 refers to entries of both.
        var input = Client(
            HeadersFrame(1, new BlockBuilder().Indexed(3).Indexed(6).Indexing("x-first", "1").Literal(":authority", "ok:1", nameIndex: 1).Build()),
            HeadersFrame(3, new BlockBuilder().Indexed(3).Indexed(6).Indexing(":authority", "http://bad:2", 1).Indexed(63).Build()),
            HeadersFrame(5, new BlockBuilder().Indexed(3).Indexed(62).Indexed(63).Build()));

        var output = await RepairAsync(input);

        var blocks = DecodeBlocks(output);
        Assert.Equal(input[..(24 + 9 + 9 + input[35])], output[..(24 + 9 + 9 + input[35])]);
        Assert.Equal([(":method", "POST"), (":scheme", "http"), (":authority", "bad:2"), ("x-first", "1")], blocks[1]);
        Assert.Equal([(":method", "POST"), (":authority", "bad:2"), ("x-first", "1")], blocks[2]);
    }

    [Fact]
    public async Task GoClientV3InitialAuthorityIsRepaired()
    {
        var input = Client(
            HeadersFrame(1, Request("#initially=[https://a:1;https://b:2]").Build()),
            HeadersFrame(3, new BlockBuilder().Indexed(3).Indexed(6).Indexed(64).Indexed(63).Indexed(62).Build()));

        var blocks = DecodeBlocks(await RepairAsync(input));

        Assert.All(blocks, b => Assert.Contains((":authority", "a:1"), b));
    }

    [Fact]
    public async Task BlocksAfterARepairAreReencodedEvenWhenValid()
    {
        var input = Client(
            HeadersFrame(1, Request("http://h:1").Build()),
            HeadersFrame(3, new BlockBuilder().SizeUpdate(100).Indexed(3).Literal(":authority", "ok:2", nameIndex: 1).Indexing("x-a", "1").Indexed(62).Build()),
            HeadersFrame(5, new BlockBuilder().Indexed(62).Literal("pw", "s", neverIndexed: true).Build()));

        var output = await RepairAsync(input);

        var blocks = DecodeBlocks(output);
        Assert.Equal([(":method", "POST"), (":authority", "ok:2"), ("x-a", "1"), ("x-a", "1")], blocks[1]);
        Assert.Equal([("x-a", "1"), ("pw", "s")], blocks[2]);
        Assert.NotEqual(input, output);
    }

    [Fact]
    public async Task PaddingIsDroppedAndPriorityKept()
    {
        byte[] priority = [0x80, 0, 0, 0, 0x10];
        byte[] block = Request("http://127.0.0.1:2379").Build();
        var input = Client(Frame(Headers, 0x4 | 0x8 | 0x20 | 0x1, 1, [3, .. priority, .. block, 0, 0, 0]));

        var output = await RepairAsync(input);

        var headers = Parse(output).Single(f => f.Type == Headers);
        Assert.Equal(0x4 | 0x20 | 0x1, headers.Flags);
        Assert.Equal(priority, headers.Payload[..5]);
        Assert.Contains((":authority", "127.0.0.1:2379"), DecodeBlocks(output).Single());
    }

    [Fact]
    public async Task LargeBlocksArriveInContinuationsAndLeaveInFramesOfAtMost16K()
    {
        var big = new string('v', 40000);
        var block = Request("http://127.0.0.1:2379").Literal("x-big", big).Build();
        var input = Client(
            Frame(Headers, 0, 1, block[..16000]),
            Frame(Continuation, 0, 1, block[16000..32000]),
            Frame(Continuation, 0x4, 1, block[32000..]));

        var output = await RepairAsync(input, chunk: 4096);

        var frames = Parse(output).Where(f => f.Type is Headers or Continuation).ToList();
        Assert.True(frames.Count >= 3);
        Assert.All(frames, f => Assert.True(f.Payload.Length <= 16384));
        Assert.Equal([(":authority", "127.0.0.1:2379"), ("content-type", "application/grpc"), ("x-big", big)], DecodeBlocks(output).Single()[3..]);
    }

    [Fact]
    public async Task MalformedHpackBeforeAnyRepairPassesUnchanged()
    {
        var input = Client(
            HeadersFrame(1, new BlockBuilder().Raw("80").Build()),
            HeadersFrame(3, Request("http://127.0.0.1:2379").Build()));

        Assert.Equal(input, await RepairAsync(input));
    }

    [Fact]
    public async Task MalformedHpackAfterARepairClosesTheConnection()
    {
        var input = Client(
            HeadersFrame(1, Request("http://127.0.0.1:2379").Build()),
            HeadersFrame(3, new BlockBuilder().Raw("ff").Build()));

        await Assert.ThrowsAsync<IOException>(() => RepairAsync(input));
    }

    [Fact]
    public async Task NonHttp2InputPassesUnchanged()
    {
        var input = "GET / HTTP/1.1\r\nHost: http://x\r\n\r\n"u8.ToArray();
        var pipe = new Pipe();
        var reader = new AuthorityRepairingPipeReader(pipe.Reader, new Http2InputScanner(4096));
        await pipe.Writer.WriteAsync(input, TestContext.Current.CancellationToken);
        await pipe.Writer.CompleteAsync();

        var result = await reader.ReadAsync(TestContext.Current.CancellationToken);

        Assert.Equal(input, result.Buffer.ToArray());
    }

    [Fact]
    public async Task TryReadPresentsTheRepairedBlock()
    {
        var input = Client(HeadersFrame(1, Request("http://127.0.0.1:2379").Build()));
        var pipe = new Pipe();
        var reader = new AuthorityRepairingPipeReader(pipe.Reader, new Http2InputScanner(4096));
        await pipe.Writer.WriteAsync(input, TestContext.Current.CancellationToken);

        var output = new List<byte>();
        while (reader.TryRead(out var result))
        {
            output.AddRange(result.Buffer.ToArray());
            reader.AdvanceTo(result.Buffer.End);
        }

        Assert.Contains((":authority", "127.0.0.1:2379"), DecodeBlocks([.. output]).Single());
    }

    // A gRPC-style request whose authority the client adds to its dynamic table.
    private static BlockBuilder Request(string authority) => new BlockBuilder()
        .Indexed(3)
        .Indexed(6)
        .Indexing(":path", "/etcdserverpb.KV/Range", 4)
        .Indexing(":authority", authority, 1)
        .Indexing("content-type", "application/grpc", 31);
}

using System.Text;
using FakeEtcd.Transport.Http2;

namespace FakeEtcd.Tests.Hosting;

public class HpackDecoderTests
{
    private static readonly (string, string)[] Request1 =
        [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")];

    private static readonly (string, string)[] Request2 = [.. Request1, ("cache-control", "no-cache")];

    private static readonly (string, string)[] Request3 =
        [(":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"), ("custom-key", "custom-value")];

    private static readonly (string, string)[] Response1 =
        [(":status", "302"), ("cache-control", "private"), ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("location", "https://www.example.com")];

    private static readonly (string, string)[] Response2 =
        [(":status", "307"), ("cache-control", "private"), ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("location", "https://www.example.com")];

    private static readonly (string, string)[] Response3 =
    [
        (":status", "200"), ("cache-control", "private"), ("date", "Mon, 21 Oct 2013 20:13:22 GMT"), ("location", "https://www.example.com"),
        ("content-encoding", "gzip"), ("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"),
    ];

    [Fact]
    public void C3_RequestsWithoutHuffman()
    {
        var decoder = new HpackDecoder(4096);
        Step(decoder, "828684410f7777772e6578616d706c652e636f6d", Request1, 57, [(":authority", "www.example.com")]);
        Step(decoder, "828684be58086e6f2d6361636865", Request2, 110, [("cache-control", "no-cache"), (":authority", "www.example.com")]);
        Step(
            decoder,
            "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565",
            Request3,
            164,
            [("custom-key", "custom-value"), ("cache-control", "no-cache"), (":authority", "www.example.com")]);
    }

    [Fact]
    public void C4_RequestsWithHuffman()
    {
        var decoder = new HpackDecoder(4096);
        Step(decoder, "828684418cf1e3c2e5f23a6ba0ab90f4ff", Request1, 57, [(":authority", "www.example.com")]);
        Step(decoder, "828684be5886a8eb10649cbf", Request2, 110, [("cache-control", "no-cache"), (":authority", "www.example.com")]);
        Step(
            decoder,
            "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf",
            Request3,
            164,
            [("custom-key", "custom-value"), ("cache-control", "no-cache"), (":authority", "www.example.com")]);
    }

    [Fact]
    public void C5_ResponsesWithEviction()
    {
        var decoder = new HpackDecoder(256);
        Step(
            decoder,
            "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d",
            Response1,
            222,
            [Response1[3], Response1[2], Response1[1], Response1[0]]);
        Step(decoder, "4803333037c1c0bf", Response2, 222, [Response2[0], Response1[3], Response1[2], Response1[1]]);
        Step(
            decoder,
            "88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a69707738666f6f3d4153444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d6167653d333630303b2076657273696f6e3d31",
            Response3,
            215,
            [Response3[5], Response3[4], Response3[2]]);
    }

    [Fact]
    public void C6_ResponsesWithHuffmanAndEviction()
    {
        var decoder = new HpackDecoder(256);
        Step(
            decoder,
            "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3",
            Response1,
            222,
            [Response1[3], Response1[2], Response1[1], Response1[0]]);
        Step(decoder, "4883640effc1c0bf", Response2, 222, [Response2[0], Response1[3], Response1[2], Response1[1]]);
        Step(
            decoder,
            "88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007",
            Response3,
            215,
            [Response3[5], Response3[4], Response3[2]]);
    }

    [Fact]
    public void SizeUpdateEvictsAndIsBoundedBySettings()
    {
        var decoder = new HpackDecoder(4096);
        FieldList.Decode(decoder, Convert.FromHexString("828684410f7777772e6578616d706c652e636f6d"));
        Assert.Equal(1, decoder.Table.Count);

        Assert.Empty(FieldList.Decode(decoder, new BlockBuilder().SizeUpdate(0).SizeUpdate(100).Build()));
        Assert.Equal(0, decoder.Table.Count);
        Assert.Equal(100, decoder.Table.MaxSize);

        Assert.Throws<HpackDecodingException>(() => FieldList.Decode(decoder, new BlockBuilder().SizeUpdate(4097).Build()));
    }

    [Theory]
    [InlineData("80")] // index 0
    [InlineData("be")] // dynamic index 1 of an empty table
    [InlineData("8220")] // size update after a field
    [InlineData("410f7777")] // string longer than the block
    [InlineData("418118")] // Huffman padding of zeros
    [InlineData("ffffffffff0f")] // integer overflow
    [InlineData("ff")] // truncated integer
    public void RejectsMalformedBlocks(string hex)
    {
        var decoder = new HpackDecoder(4096);
        Assert.Throws<HpackDecodingException>(() => FieldList.Decode(decoder, Convert.FromHexString(hex)));
    }

    [Fact]
    public void NeverIndexedAndWithoutIndexingLeaveTheTableAlone()
    {
        var decoder = new HpackDecoder(4096);
        var fields = FieldList.Decode(decoder, new BlockBuilder().Literal("password", "secret", neverIndexed: true).Literal(":path", "/x", nameIndex: 4).Build());
        Assert.Equal([("password", "secret"), (":path", "/x")], fields);
        Assert.Equal(0, decoder.Table.Count);
    }

    private static void Step(HpackDecoder decoder, string hex, (string, string)[] expected, int tableSize, (string, string)[] table)
    {
        Assert.Equal(expected, FieldList.Decode(decoder, Convert.FromHexString(hex)));
        Assert.Equal(tableSize, decoder.Table.Size);
        var actual = Enumerable.Range(1, decoder.Table.Count)
            .Select(i => (Encoding.Latin1.GetString(decoder.Table[i].Name), Encoding.Latin1.GetString(decoder.Table[i].Value)));
        Assert.Equal(table, actual);
    }
}

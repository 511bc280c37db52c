using FakeEtcd.Transport.Http2;

namespace FakeEtcd.Tests.Hosting;

public class HuffmanTests
{
    [Theory]
    [InlineData("f1e3c2e5f23a6ba0ab90f4ff", "www.example.com")] // RFC 7541 C.4.1
    [InlineData("a8eb10649cbf", "no-cache")] // C.4.2
    [InlineData("25a849e95ba97d7f", "custom-key")] // C.4.3
    [InlineData("25a849e95bb8e8b4bf", "custom-value")] // C.4.3
    [InlineData("6402", "302")] // C.6.1
    [InlineData("d07abe941054d444a8200595040b8166e082a62d1bff", "Mon, 21 Oct 2013 20:13:21 GMT")] // C.6.1
    [InlineData("", "")]
    [InlineData("1f", "a")] // 'a' is 00011, padded with 111
    public void DecodesRfcExamples(string hex, string expected)
    {
        Assert.Equal(expected, Decode(hex));
    }

    [Theory]
    [InlineData("18")] // 'a' padded with zeros instead of ones
    [InlineData("ffff")] // 16 bits of padding
    [InlineData("fffffffc")] // EOS (30 ones) inside the string
    [InlineData("1fff")] // 'a' then 8 bits of padding
    public void RejectsInvalidStrings(string hex)
    {
        var source = Convert.FromHexString(hex);
        Assert.False(Huffman.TryDecode(source, new byte[Huffman.MaxDecodedLength(source.Length)], out _));
    }

    [Fact]
    public void DecodesEveryByteValue()
    {
        // Byte 0 has the 13-bit code 11111111 11000, byte 255 the 26-bit code 11111111 11111111 11111011 10.
        Assert.Equal("\0", Decode("ffc7"));
        Assert.Equal("\u00ff", Decode("fffffbbf"));
    }

    private static string Decode(string hex)
    {
        var source = Convert.FromHexString(hex);
        var destination = new byte[Huffman.MaxDecodedLength(source.Length)];
        Assert.True(Huffman.TryDecode(source, destination, out var written));
        return System.Text.Encoding.Latin1.GetString(destination, 0, written);
    }
}

using System.Buffers;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace FakeEtcd.Http.Gateway;

/// <summary>
/// JSON as etcd's grpc-gateway writes it (golang/protobuf jsonpb with <c>OrigName</c>): proto field
/// names, 64-bit integers as strings, bytes in base64, default values left out, no whitespace.
/// It reads both proto and JSON (lowerCamel) field names and skips unknown ones, as etcd's gateway does.
/// </summary>
internal static class GatewayJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly JsonWriterOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The message as one line of compact JSON.</summary>
    public static byte[] Format(IMessage message) => Minify(Formatter.Format(message));

    /// <summary>Parses <paramref name="json"/> as <paramref name="type"/>; an empty body is the empty message.</summary>
    public static IMessage Parse(MessageDescriptor type, ReadOnlySpan<byte> json) =>
        json.IsEmpty ? type.Parser.ParseFrom(ByteString.Empty) : Parser.Parse(Encoding.UTF8.GetString(json), type);

    /// <summary>Rewrites JSON without insignificant whitespace (Google.Protobuf's formatter spaces its output).</summary>
    public static byte[] Minify(string json)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>(json.Length);
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            document.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Go's encoding/json text for the syntax error in <paramref name="data"/> where it can be told
    /// (a truncated value, a character no value starts with), else System.Text.Json's own.
    /// </summary>
    public static string SyntaxError(ReadOnlySpan<byte> data, System.Text.Json.JsonException error)
    {
        var trimmed = data.TrimStart(" \t\r\n"u8);
        if (!trimmed.IsEmpty && "{[\"-0123456789tfn"u8.IndexOf(trimmed[0]) < 0)
        {
            return $"invalid character '{(char)trimmed[0]}' looking for beginning of value";
        }

        return error.BytePositionInLine >= data.Length ? "unexpected EOF" : error.Message;
    }

    /// <summary>
    /// The length of the first complete JSON value in <paramref name="data"/> (leading whitespace
    /// included), or 0 when it is not complete yet: a streamed request body is a sequence of them.
    /// </summary>
    public static int CompleteValueLength(ReadOnlySpan<byte> data, bool final)
    {
        var reader = new Utf8JsonReader(data, final, default);
        try
        {
            return reader.Read() && reader.TrySkip() ? (int)reader.BytesConsumed : 0;
        }
        catch (JsonException) when (!final)
        {
            return 0;
        }
    }
}

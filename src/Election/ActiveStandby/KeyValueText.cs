using System.Globalization;
using System.Text;
using EtcdProtocol.Mvccpb;
using Google.Protobuf;

namespace Election;

/// <summary>
/// A key-value as Go's etcd client prints it (gogoproto compact text: set fields in field order, each
/// followed by a space, bytes C-escaped). Milvus logs watch events this way, and its operators grep for it.
/// </summary>
internal static class KeyValueText
{
    public static string Format(KeyValue kv)
    {
        var text = new StringBuilder();
        AppendBytes(text, "key", kv.Key);
        AppendInt(text, "create_revision", kv.CreateRevision);
        AppendInt(text, "mod_revision", kv.ModRevision);
        AppendInt(text, "version", kv.Version);
        AppendBytes(text, "value", kv.Value);
        AppendInt(text, "lease", kv.Lease);
        return text.ToString();
    }

    private static void AppendInt(StringBuilder text, string name, long value)
    {
        if (value != 0)
        {
            text.Append(name).Append(':').Append(value.ToString(CultureInfo.InvariantCulture)).Append(' ');
        }
    }

    private static void AppendBytes(StringBuilder text, string name, ByteString value)
    {
        if (value.IsEmpty)
        {
            return;
        }

        text.Append(name).Append(":\"");
        foreach (var b in value.Span)
        {
            switch (b)
            {
                case (byte)'\n': text.Append("\\n"); break;
                case (byte)'\r': text.Append("\\r"); break;
                case (byte)'\t': text.Append("\\t"); break;
                case (byte)'"': text.Append("\\\""); break;
                case (byte)'\\': text.Append("\\\\"); break;
                case >= 0x20 and < 0x7f: text.Append((char)b); break;

                // Go's text marshaler writes every other byte, UTF-8 included, as a three-digit octal escape.
                default: text.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0')); break;
            }
        }

        text.Append("\" ");
    }
}

using System.Globalization;
using System.Text;
using FakeEtcd.Cluster;

namespace FakeEtcd.Apply.Backend;

/// <summary>
/// The members bucket's value: membership.Member as Go's encoding/json writes it, field order and
/// escaping included (<c>{"id":N,"peerURLs":[...],"name":"...","clientURLs":[...]}</c>; an empty name
/// or client list is omitted).
/// </summary>
internal static class MemberJson
{
    public static byte[] Of(MemberIdentity member)
    {
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $"{{\"id\":{member.MemberId},\"peerURLs\":");
        AppendArray(json, member.PeerUrls);
        if (member.Name.Length > 0)
        {
            json.Append(",\"name\":");
            AppendString(json, member.Name);
        }

        if (member.ClientUrls.Count > 0)
        {
            json.Append(",\"clientURLs\":");
            AppendArray(json, member.ClientUrls);
        }

        return Encoding.UTF8.GetBytes(json.Append('}').ToString());
    }

    private static void AppendArray(StringBuilder json, IReadOnlyList<string> values)
    {
        json.Append('[');
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            AppendString(json, values[i]);
        }

        json.Append(']');
    }

    /// <summary>Go's string escaping: quotes, backslashes, control characters, and &lt; &gt; &amp; U+2028 U+2029 as \u escapes.</summary>
    private static void AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"' or '\\':
                    json.Append('\\').Append(c);
                    break;
                case '\n':
                    json.Append("\\n");
                    break;
                case '\r':
                    json.Append("\\r");
                    break;
                case '\t':
                    json.Append("\\t");
                    break;
                case < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029':
                    json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    break;
                default:
                    json.Append(c);
                    break;
            }
        }

        json.Append('"');
    }
}

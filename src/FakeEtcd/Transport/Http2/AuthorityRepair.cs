using System.Text;

namespace FakeEtcd.Transport.Http2;

/// <summary>
/// Decides whether an HTTP/2 <c>:authority</c> is one Kestrel accepts, and turns the URL-like
/// values some Go etcd clients send into one.
/// </summary>
internal static class AuthorityRepair
{
    /// <summary>The authority used when nothing usable can be extracted.</summary>
    public const string Fallback = "localhost";

    /// <summary>
    /// True for <c>host[:port]</c> or <c>[ipv6][:port]</c> with a conservative host alphabet, a
    /// subset of what Kestrel's Host validation accepts; also true for an empty value.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<byte> authority)
    {
        if (authority.IsEmpty)
        {
            return true;
        }

        int hostEnd;
        if (authority[0] == (byte)'[')
        {
            hostEnd = authority.IndexOf((byte)']') + 1;
            if (hostEnd < 5 || !IsIPv6(authority[1..(hostEnd - 1)]))
            {
                return false;
            }
        }
        else
        {
            hostEnd = authority.IndexOf((byte)':');
            hostEnd = hostEnd < 0 ? authority.Length : hostEnd;
            if (hostEnd == 0 || !IsRegName(authority[..hostEnd]))
            {
                return false;
            }
        }

        var rest = authority[hostEnd..];
        return rest.IsEmpty || (rest[0] == (byte)':' && rest.Length > 1 && IsDigits(rest[1..]));
    }

    /// <summary>
    /// A valid authority for <paramref name="authority"/>: the host and port of the first URL in
    /// it (<c>http://127.0.0.1:2379</c>, <c>#initially=[https://a:1;https://b:2]</c>), else
    /// <see cref="Fallback"/>.
    /// </summary>
    public static string Repair(ReadOnlySpan<byte> authority)
    {
        var scheme = authority.IndexOf("://"u8);
        if (scheme < 0)
        {
            return Fallback;
        }

        var rest = authority[(scheme + 3)..].TrimStart((byte)'/');
        // An IPv6 literal's ']' is part of the host, not a delimiter.
        var hostStart = rest.StartsWith("["u8) ? rest.IndexOf((byte)']') + 1 : 0;
        var end = rest[hostStart..].IndexOfAny("/?#;,] \t"u8);
        var candidate = end < 0 ? rest : rest[..(hostStart + end)];
        var userInfo = candidate.LastIndexOf((byte)'@');
        candidate = candidate[(userInfo + 1)..];
        return !candidate.IsEmpty && IsValid(candidate) ? Encoding.ASCII.GetString(candidate) : Fallback;
    }

    private static bool IsRegName(ReadOnlySpan<byte> host)
    {
        foreach (var c in host)
        {
            if (!(char.IsAsciiLetterOrDigit((char)c) || c is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsIPv6(ReadOnlySpan<byte> address)
    {
        foreach (var c in address)
        {
            if (!(char.IsAsciiHexDigit((char)c) || c is (byte)':' or (byte)'.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDigits(ReadOnlySpan<byte> port)
    {
        foreach (var c in port)
        {
            if (!char.IsAsciiDigit((char)c))
            {
                return false;
            }
        }

        return true;
    }
}

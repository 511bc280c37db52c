namespace FakeEtcd.Cli;

/// <summary>
/// A comma-separated URL list flag read as etcd reads it (pkg/types.NewURLs): each URL needs an
/// http, https, unix or unixs scheme, a host:port address and no path, else etcd's message.
/// </summary>
internal static class EtcdUrls
{
    private static readonly string[] Schemes = ["http", "https", "unix", "unixs"];

    /// <summary>The URLs of <paramref name="value"/>, or Go's flag error for <c>-<paramref name="flag"/></c> (exit code 2).</summary>
    public static (IReadOnlyList<Uri> Urls, string? Error) Parse(string flag, string? value)
    {
        var urls = new List<Uri>();
        foreach (var part in (value ?? string.Empty).Split(','))
        {
            var url = part.Trim();
            if (Problem(url) is { } problem)
            {
                return ([], $"invalid value \"{value}\" for flag -{flag}: {problem}: {url}");
            }

            urls.Add(new Uri(url));
        }

        return (urls, null);
    }

    private static string? Problem(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0 || !Schemes.Contains(url[..schemeEnd].ToLowerInvariant()))
        {
            return "URL scheme must be http, https, unix, or unixs";
        }

        var rest = url[(schemeEnd + 3)..];
        var pathStart = rest.IndexOfAny(['/', '?', '#']);
        var host = pathStart < 0 ? rest : rest[..pathStart];
        if (!IsHostPort(host))
        {
            return "URL address does not have the form \"host:port\"";
        }

        return pathStart >= 0 && rest[pathStart] == '/' ? "URL must not contain a path" : null;
    }

    /// <summary>Whether Go's net.SplitHostPort accepts <paramref name="host"/>: <c>host:port</c> or <c>[v6]:port</c>.</summary>
    private static bool IsHostPort(string host)
    {
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            return close > 0 && close + 1 < host.Length && host[close + 1] == ':' && host.IndexOf(':', close + 2) < 0;
        }

        var colon = host.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && colon == host.LastIndexOf(':');
    }
}

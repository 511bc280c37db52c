namespace Election.Hosting;

/// <summary>
/// etcd.endpoints as Milvus takes it: comma-separated <c>host:port</c>, each with or without
/// <c>http://</c>. TLS is configured through <see cref="ActiveStandbyHostOptions.Etcd"/>.
/// </summary>
public static class EtcdEndpoints
{
    /// <summary>Milvus's default, <c>localhost:2379</c>.</summary>
    public const string Default = "localhost:2379";

    /// <summary>Parses a comma-separated endpoint list.</summary>
    /// <exception cref="FormatException">An entry is not <c>host:port</c> or <c>http://host:port</c>, or the list names none.</exception>
    public static IReadOnlyList<Uri> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var endpoints = new List<Uri>();
        foreach (var entry in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var text = entry.Contains("://", StringComparison.Ordinal) ? entry : "http://" + entry;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || !HasPort(text)
                || uri.AbsolutePath != "/" || uri.Query.Length > 0)
            {
                throw new FormatException($"'{entry}' is not host:port or http://host:port");
            }

            endpoints.Add(new Uri(uri.GetLeftPart(UriPartial.Authority)));
        }

        return endpoints.Count > 0 ? endpoints : throw new FormatException("names no endpoint");
    }

    /// <summary>An explicit port, as etcd endpoints always have ("[::1]" alone has none).</summary>
    private static bool HasPort(string url)
    {
        var authority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
        return authority.LastIndexOf(':') > authority.LastIndexOf(']');
    }
}

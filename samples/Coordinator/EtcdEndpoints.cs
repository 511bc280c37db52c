namespace Coordinator;

/// <summary>
/// ETCD_ENDPOINTS as Milvus takes it: comma-separated <c>host:port</c>, each with or without
/// <c>http://</c> (etcd.endpoints, default localhost:2379). TLS is not part of this demo.
/// </summary>
internal static class EtcdEndpoints
{
    public const string Default = "localhost:2379";

    public static IReadOnlyList<Uri> Parse(string value)
    {
        var endpoints = new List<Uri>();
        foreach (var entry in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var text = entry.Contains("://", StringComparison.Ordinal) ? entry : "http://" + entry;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || !HasPort(text)
                || uri.AbsolutePath != "/" || uri.Query.Length > 0)
            {
                throw new SettingsException($"ETCD_ENDPOINTS: '{entry}' is not host:port or http://host:port");
            }

            endpoints.Add(new Uri(uri.GetLeftPart(UriPartial.Authority)));
        }

        return endpoints.Count > 0 ? endpoints : throw new SettingsException("ETCD_ENDPOINTS names no endpoint");
    }

    /// <summary>An explicit port, as etcd endpoints always have ("[::1]" alone has none).</summary>
    private static bool HasPort(string url)
    {
        var authority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
        return authority.LastIndexOf(':') > authority.LastIndexOf(']');
    }
}

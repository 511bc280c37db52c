namespace Election.Hosting;

/// <summary>
/// A Milvus coordinator role: its session name (<c>typeutil</c>'s role name, the key under
/// <c>session/</c>), the milvus.yaml section its settings live in, and that section's default port.
/// </summary>
internal sealed record MilvusRole(string ServerName, string Section, int DefaultPort)
{
    /// <summary>The coordinator roles Milvus runs active-standby, by session name.</summary>
    public static IReadOnlyDictionary<string, MilvusRole> All { get; } = new[]
    {
        new MilvusRole("rootcoord", "rootCoord", 53100),
        new MilvusRole("datacoord", "dataCoord", 13333),
        new MilvusRole("querycoord", "queryCoord", 19531),
        new MilvusRole("indexcoord", "indexCoord", 31000), // Milvus 2.2 and 2.3 only
        new MilvusRole("mixcoord", "mixCoord", 53100), // Milvus 2.6: one process for every coordinator
    }.ToDictionary(r => r.ServerName, StringComparer.Ordinal);

    /// <summary>The roles for an error message: "rootcoord, datacoord, ... or mixcoord".</summary>
    public static string Names => string.Join(", ", All.Keys.SkipLast(1)) + " or " + All.Keys.Last();
}

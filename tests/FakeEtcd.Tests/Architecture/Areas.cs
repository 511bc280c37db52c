namespace FakeEtcd.Tests.Architecture;

/// <summary>
/// The areas of src/FakeEtcd, one per folder: the etcd core, the generated protocol, the gRPC
/// adapters, the transports, the in-process server, the command line and the simulation kit.
/// </summary>
internal static class Areas
{
    /// <summary>etcd itself: what FakeEtcd is whichever way it is served.</summary>
    public static readonly IReadOnlySet<string> Core = new HashSet<string>(StringComparer.Ordinal)
    {
        "Mvcc", "Leases", "Apply", "Watch", "Clock", "Concurrency", "Cluster", "Errors", "Protocol",
    };

    /// <summary>What plugs into the core from outside: the core must reference none of it.</summary>
    public static readonly IReadOnlySet<string> Outer = new HashSet<string>(StringComparer.Ordinal)
    {
        "Grpc", "Hosting", "Cli", "Simulation", "Transport",
    };

    /// <summary>The public types of the root namespace, by the folder (area) they live in.</summary>
    private static readonly Dictionary<string, string> RootTypes = new(StringComparer.Ordinal)
    {
        ["VirtualClock"] = "Clock",
        ["VirtualTimeLimitException"] = "Clock",
        ["EtcdCompatibility"] = "Cluster",
        ["AutoCompaction"] = "Apply",
        ["FollowerTimeoutException"] = "Grpc.Follow",
        ["FakeEtcdServer"] = "Hosting",
        ["FakeEtcdServerOptions"] = "Hosting",
        ["Program"] = "Cli",
    };

    /// <summary>The root-namespace type names the table above places.</summary>
    public static IEnumerable<string> PlacedRootTypes => RootTypes.Keys;

    /// <summary>
    /// The area of a type of the FakeEtcd assembly: <c>Grpc.Services</c>, <c>Simulation.Faults</c>, <c>Mvcc</c>...;
    /// null for compiler-generated types outside the product's namespaces.
    /// </summary>
    public static string? Of(string ns, string name)
    {
        if (ns == "FakeEtcd")
        {
            return RootTypes.TryGetValue(name, out var area) ? area : "unplaced:" + name;
        }

        if (ns == "EtcdProtocol" || ns.StartsWith("EtcdProtocol.", StringComparison.Ordinal))
        {
            return "Protocol";
        }

        return ns.StartsWith("FakeEtcd.", StringComparison.Ordinal) ? ns["FakeEtcd.".Length..] : null;
    }

    /// <summary>The top folder of an area: <c>Grpc</c> for <c>Grpc.Services</c>.</summary>
    public static string Top(string area) => area.Split('.')[0];
}

namespace FakeEtcd.Apply;

/// <summary>
/// Who the work on this async flow is done for: the edge (the simulation's interceptor, from the
/// <c>fakeetcd-client</c> header) enters a client name, and the apply path and watch streams read it
/// to attribute commits and deliveries. Without an edge that sets it, all work is the server's.
/// </summary>
internal static class CallAttribution
{
    /// <summary>The name of calls that name no client.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>The name of the server's own work (lease expiry, faults).</summary>
    public const string Server = "server";

    private static readonly AsyncLocal<string?> CurrentName = new();
    private static readonly AsyncLocal<string?> CurrentStreamName = new();

    /// <summary>The client a request is being handled for on this async flow.</summary>
    public static string Current => CurrentName.Value ?? Server;

    /// <summary>The stream being served on this async flow (<c>client#n</c>), if any.</summary>
    public static string? CurrentStream => CurrentStreamName.Value;

    /// <summary>
    /// Runs <paramref name="work"/> as the server's own work, whichever flow triggers it (lease expiry
    /// runs on its timer or inside a keepalive that finds the lease due), then restores the flow's client.
    /// </summary>
    public static void AsServer(Action work)
    {
        var (name, stream) = (CurrentName.Value, CurrentStreamName.Value);
        Enter(Server, null);
        try
        {
            work();
        }
        finally
        {
            Enter(name, stream);
        }
    }

    /// <summary>Runs the rest of the call's async flow as <paramref name="client"/> (on <paramref name="stream"/>, if a stream).</summary>
    public static void Enter(string? client, string? stream)
    {
        CurrentName.Value = client;
        CurrentStreamName.Value = stream;
    }
}

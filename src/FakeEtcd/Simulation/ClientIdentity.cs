using FakeEtcd.Simulation.Edge;
using Grpc.Core;

namespace FakeEtcd.Simulation;

/// <summary>
/// Client names: a channel created by <see cref="FakeEtcdServer.CreateClient"/> sends its name in the
/// <c>fakeetcd-client</c> metadata header on every call, and the server attributes the call, its
/// streams, its leases and the revisions it commits to that name. Any client (another language, another
/// process) can set the header itself.
/// </summary>
public static class ClientIdentity
{
    /// <summary>The metadata header that carries the client name.</summary>
    public const string HeaderName = "fakeetcd-client";

    /// <summary>The name of calls without the header.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>The name of the server's own work (lease expiry, faults).</summary>
    public const string Server = "server";

    private static readonly AsyncLocal<string?> CurrentName = new();
    private static readonly AsyncLocal<string?> CurrentStreamName = new();
    private static readonly AsyncLocal<IMessageHold?> CurrentHold = new();

    /// <summary>The client a request is being handled for on this async flow (the apply path reads it to attribute commits).</summary>
    internal static string Current => CurrentName.Value ?? Server;

    /// <summary>The request reader of the stream served on this async flow: its message hold is released around virtual waits.</summary>
    internal static IMessageHold? CurrentReader
    {
        get => CurrentHold.Value;
        set => CurrentHold.Value = value;
    }

    /// <summary>The stream being served on this async flow (<c>client#n</c>), if any.</summary>
    internal static string? CurrentStream => CurrentStreamName.Value;

    internal static string Of(ServerCallContext context) => context.RequestHeaders.GetValue(HeaderName) is { Length: > 0 } name ? name : Anonymous;

    /// <summary>
    /// Runs <paramref name="work"/> as the server's own work, whichever flow triggers it (lease expiry
    /// runs on its timer or inside a keepalive that finds the lease due), then restores the flow's client.
    /// </summary>
    internal static void AsServer(Action work)
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
    internal static void Enter(string? client, string? stream)
    {
        CurrentName.Value = client;
        CurrentStreamName.Value = stream;
    }
}

using FakeEtcd.Apply;
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
    public const string Anonymous = CallAttribution.Anonymous;

    /// <summary>The name of the server's own work (lease expiry, faults).</summary>
    public const string Server = CallAttribution.Server;

    private static readonly AsyncLocal<IMessageHold?> CurrentHold = new();

    /// <summary>The request reader of the stream served on this async flow: its message hold is released around virtual waits.</summary>
    internal static IMessageHold? CurrentReader
    {
        get => CurrentHold.Value;
        set => CurrentHold.Value = value;
    }

    internal static string Of(ServerCallContext context) => context.RequestHeaders.GetValue(HeaderName) is { Length: > 0 } name ? name : Anonymous;
}

using Grpc.Net.Client;

namespace FakeEtcd;

/// <summary>Options of <see cref="RemoteVirtualClock.ConnectAsync(Uri, RemoteVirtualClockOptions?, CancellationToken)"/>.</summary>
public sealed class RemoteVirtualClockOptions
{
    /// <summary>How the server names this follower in errors (default: the process name and id).</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Wall time the follower waits with nothing new before it reports a tick done (default 1 ms): a
    /// callback's continuations between "response read" and "next call started" run on the thread
    /// pool where nothing counts them.
    /// </summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Options for the channel to the server (message sizes, HTTP handler for TLS).</summary>
    public GrpcChannelOptions? ChannelOptions { get; set; }
}

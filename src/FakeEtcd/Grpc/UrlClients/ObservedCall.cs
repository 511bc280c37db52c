using FakeEtcd.Clock;
using FakeEtcd.Grpc.Interceptors;
using FakeEtcd.Grpc.Streams;
namespace FakeEtcd.Grpc.UrlClients;

/// <summary>
/// What the settle counts for one gRPC call that an in-process client made to a server of this process
/// by its URL, mirroring <see cref="ClientActivityInterceptor"/>: a unary call from its start until its
/// response has been read; a blocking call (see <see cref="BlockingCalls"/>) and a stream through a
/// <see cref="StreamHandover"/>, message by message.
/// </summary>
internal sealed class ObservedCall
{
    /// <summary>Request header that marks a call (and so its connection) as counted by this process's settle.</summary>
    public const string HeaderName = "fakeetcd-settle-client";

    public static readonly HttpRequestOptionsKey<ObservedCall> Key = new("FakeEtcd.ObservedCall");

    private static readonly HashSet<string> DuplexMethods = new(StringComparer.Ordinal)
    {
        "/etcdserverpb.Watch/Watch",
        "/etcdserverpb.Lease/LeaseKeepAlive",
    };

    private static readonly HashSet<string> ServerStreamingMethods = new(StringComparer.Ordinal)
    {
        "/v3electionpb.Election/Observe",
        "/etcdserverpb.Maintenance/Snapshot",
    };

    private ActivityScope? _counted;

    private ObservedCall(ActivityScope? counted, StreamHandover? handover, bool duplex)
    {
        _counted = counted;
        Handover = handover;
        IsDuplex = duplex;
    }

    /// <summary>The stream handover, for calls whose messages count one by one.</summary>
    public StreamHandover? Handover { get; }

    public bool IsDuplex { get; }

    /// <summary>Starts counting a call to <paramref name="method"/> (a path such as <c>/etcdserverpb.KV/Put</c>); null for calls the settle does not count (the control API).</summary>
    public static ObservedCall? Start(string method, StreamHandovers handovers)
    {
        var activity = handovers.Activity;
        if (method.StartsWith("/fakeetcd.v1.", StringComparison.Ordinal))
        {
            return null; // An Advance waits for the settle and must not wait for itself.
        }

        var duplex = DuplexMethods.Contains(method);
        if (!duplex && !ServerStreamingMethods.Contains(method) && !BlockingCalls.Contains(method))
        {
            return new ObservedCall(activity.Begin(), null, false);
        }

        var handover = handovers.Open();
        if (!duplex)
        {
            handover.Sending(); // The request counts until the server has picked it up.
            return new ObservedCall(null, handover, false);
        }

        // A bidi call counts while it connects (a TLS handshake, a balancer picking an address) until its
        // first message starts on the wire, which then counts until the server has read it.
        return new ObservedCall(activity.Begin(), handover, true);
    }

    /// <summary>A bidi call's first message is being written, or its response has begun: it no longer counts as connecting.</summary>
    public void Connected() => Interlocked.Exchange(ref _counted, null)?.Dispose();

    /// <summary>The call is over (answered, failed or disposed): its counts end.</summary>
    public void End()
    {
        Interlocked.Exchange(ref _counted, null)?.Dispose();
        Handover?.Dispose();
    }
}

using FakeEtcd.Grpc.Streams;

namespace FakeEtcd.Grpc.Interceptors;

/// <summary>
/// Unary calls that may block on other clients (Campaign, Lock). An in-process client does not
/// count them for their whole life, or a settle would wait for a leader that only the clock can
/// remove. The request counts until the server has read it and the response from when the server
/// has it until the client has read it, through a <see cref="StreamHandover"/>; the server counts
/// the work between, except while the call waits.
/// </summary>
internal static class BlockingCalls
{
    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal)
    {
        "/v3electionpb.Election/Campaign",
        "/v3lockpb.Lock/Lock",
    };

    public static bool Contains(string fullMethodName) => Methods.Contains(fullMethodName);
}

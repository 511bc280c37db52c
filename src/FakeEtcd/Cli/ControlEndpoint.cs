using System.CommandLine;
using Grpc.Net.Client;

namespace FakeEtcd.Cli;

/// <summary>What the control commands (<c>clock</c>, <c>faults</c>) share: the <c>--endpoints</c> option and one call with its error report.</summary>
internal static class ControlEndpoint
{
    public static Option<string> Option() => new("--endpoints")
    {
        Description = "The FakeEtcd server to control.",
        DefaultValueFactory = _ => "http://127.0.0.1:2379",
        Recursive = true,
    };

    /// <summary>Runs <paramref name="call"/> on a channel to the first endpoint; 0, or 1 with the gRPC error on stderr.</summary>
    public static async Task<int> CallAsync(string endpoints, Func<GrpcChannel, Task> call)
    {
        var url = endpoints.Split(',')[0];
        using var channel = GrpcChannel.ForAddress(url.Contains("://", StringComparison.Ordinal) ? url : "http://" + url);
        try
        {
            await call(channel).ConfigureAwait(false);
            return 0;
        }
        catch (global::Grpc.Core.RpcException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Status.Detail} ({e.StatusCode})").ConfigureAwait(false);
            return 1;
        }
    }
}

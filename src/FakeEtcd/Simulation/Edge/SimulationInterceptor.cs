using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using FakeEtcd.Simulation.History;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FakeEtcd.Simulation.Edge;

/// <summary>
/// The outermost server interceptor of a simulated server: names the client of every call, applies
/// request faults (hang, unreachable, injected etcd errors, severed streams) before the call counts as
/// activity, and records requests, responses and stream opens in the history.
/// </summary>
internal sealed class SimulationInterceptor(Simulator simulator) : Interceptor
{
    private const string ControlPrefix = "/fakeetcd.v1.";

    /// <summary>Set by the client-side gate of named channels: the hang was served there, not here.</summary>
    internal const string GatedHeader = "fakeetcd-gated";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (context.Method.StartsWith(ControlPrefix, StringComparison.Ordinal))
        {
            return await continuation(request, context).ConfigureAwait(false);
        }

        var client = ClientIdentity.Of(context);
        CallAttribution.Enter(client, null);
        var history = simulator.History;
        var call = simulator.NextCall();
        if (context.RequestHeaders.GetValue(GatedHeader) is null)
        {
            // Not counted as activity: a hung call must not stop the clock from reaching the heal.
            await simulator.Faults.WaitUntilReachableAsync(client, context.CancellationToken).ConfigureAwait(false);
        }

        var method = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        if (simulator.Faults.ErrorFor(client, method) is { } injected)
        {
            history.Record(Entry(client, HistoryKind.FaultApplied, method + " " + RequestText.Error(injected)));
            throw injected;
        }

        history.Record(Entry(client, HistoryKind.Request, RequestText.Request(request)) with { Call = call });
        try
        {
            var response = await continuation(request, context).ConfigureAwait(false);
            var revision = HeaderRevision(response);
            history.Record(Entry(client, HistoryKind.Response, method + " " + RequestText.Response(response)) with { Revision = revision, Call = call });
            if (response is LeaseGrantResponse granted)
            {
                history.Record(Entry(client, HistoryKind.LeaseGranted, "ttl=" + granted.TTL.ToString(System.Globalization.CultureInfo.InvariantCulture)) with { LeaseId = granted.ID });
            }

            return response;
        }
        catch (RpcException e)
        {
            history.Record(Entry(client, HistoryKind.Response, method + " " + RequestText.Error(e)) with { Call = call });
            throw;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var client = ClientIdentity.Of(context);
        var method = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        CallAttribution.Enter(client, null);
        if (simulator.Faults.RefuseStream(client, method) is { } refused)
        {
            throw refused;
        }

        var stream = simulator.NextStreamName(client);
        CallAttribution.Enter(client, stream);
        simulator.History.Record(Entry(client, HistoryKind.StreamOpened, method) with { Stream = stream });
        using var registration = simulator.Faults.RegisterStream(client, stream, method, out var severed);
        var reader = new SeverableReader<TRequest>(requestStream, severed, simulator.Activity);
        var previous = ClientIdentity.CurrentReader;
        ClientIdentity.CurrentReader = reader;
        try
        {
            await continuation(reader, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception) when (severed.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            // Recorded by the fault itself, in a fixed order.
            throw SeverableReader<TRequest>.Severed();
        }
        finally
        {
            reader.Release();
            ClientIdentity.CurrentReader = previous;
        }
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        CallAttribution.Enter(ClientIdentity.Of(context), null);
        return continuation(request, responseStream, context);
    }

    private static long HeaderRevision<T>(T response) => response switch
    {
        RangeResponse r => r.Header.Revision,
        PutResponse r => r.Header.Revision,
        DeleteRangeResponse r => r.Header.Revision,
        TxnResponse r => r.Header.Revision,
        CompactionResponse r => r.Header.Revision,
        LeaseGrantResponse r => r.Header.Revision,
        LeaseRevokeResponse r => r.Header.Revision,
        _ => 0,
    };

    private static HistoryEntry Entry(string client, HistoryKind kind, string detail) =>
        new() { Client = client, Kind = kind, Detail = detail };
}

using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Clock;
using FakeEtcd.Grpc.Streams;
using FakeEtcd.Watch;
using Grpc.Core;

namespace FakeEtcd.Grpc.Services;

/// <summary>etcdserverpb.Watch: each call is one watch stream run against the server's watch hub.</summary>
internal sealed class WatchService(WatchHub hub, WatchSettings settings, ActivityTracker activity, StreamHandovers handovers, ServerClock clock) : EtcdProtocol.Etcdserverpb.Watch.WatchBase
{
    public override Task Watch(
        IAsyncStreamReader<WatchRequest> requestStream, IServerStreamWriter<WatchResponse> responseStream, ServerCallContext context)
    {
        var responses = CountedResponseWriter<WatchResponse>.For(responseStream, context, handovers);
        return new WatchStreamRunner(hub, settings, activity, clock.Time).RunAsync(requestStream, responses, context.CancellationToken);
    }
}

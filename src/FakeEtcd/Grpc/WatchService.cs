using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Clock;
using FakeEtcd.Cluster;
using FakeEtcd.Watch;
using Grpc.Core;

namespace FakeEtcd.Grpc;

/// <summary>etcdserverpb.Watch: each call is one watch stream run against the node's watch hub.</summary>
internal sealed class WatchService(EtcdNode node, WatchHub hub, WatchSettings settings) : EtcdProtocol.Etcdserverpb.Watch.WatchBase
{
    public override Task Watch(
        IAsyncStreamReader<WatchRequest> requestStream, IServerStreamWriter<WatchResponse> responseStream, ServerCallContext context)
    {
        var responses = CountedResponseWriter<WatchResponse>.For(responseStream, context, node.Activity);
        return new WatchStreamRunner(node, hub, settings).RunAsync(requestStream, responses, context.CancellationToken);
    }
}

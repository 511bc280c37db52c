using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Clock;
using FakeEtcd.Cluster;
using FakeEtcd.Simulation.Edge;
using Grpc.Core;

namespace FakeEtcd.Grpc;

/// <summary>etcdserverpb.Lease over the apply path.</summary>
internal sealed class LeaseService(EtcdNode node) : Lease.LeaseBase
{
    public override Task<LeaseGrantResponse> LeaseGrant(LeaseGrantRequest request, ServerCallContext context) =>
        node.Reply(node.Applier.LeaseGrant(request), r => r.Header);

    public override Task<LeaseRevokeResponse> LeaseRevoke(LeaseRevokeRequest request, ServerCallContext context) =>
        node.Reply(node.Applier.LeaseRevoke(request), r => r.Header);

    public override Task<LeaseTimeToLiveResponse> LeaseTimeToLive(LeaseTimeToLiveRequest request, ServerCallContext context) =>
        node.Reply(node.Applier.LeaseTimeToLive(request), r => r.Header);

    public override Task<LeaseLeasesResponse> LeaseLeases(LeaseLeasesRequest request, ServerCallContext context) =>
        node.Reply(node.Applier.LeaseLeases(), r => r.Header);

    /// <summary>
    /// One response per request, in order: the header is taken before the renewal, the TTL is the full
    /// granted TTL, or 0 for an unknown or expired lease. Ends with OK when the client half-closes.
    /// </summary>
    public override async Task LeaseKeepAlive(
        IAsyncStreamReader<LeaseKeepAliveRequest> requestStream,
        IServerStreamWriter<LeaseKeepAliveResponse> responseStream,
        ServerCallContext context)
    {
        // With an in-process fixture client, each reply counts until that client has read it.
        var replies = CountedResponseWriter<LeaseKeepAliveResponse>.For(responseStream, context, node.Activity);
        var keepAlives = node.Simulation is { } simulation ? new SimulatedKeepAlives(simulation, node.Clock) : null;
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            // Faults act before the message counts as activity: a dropped or delayed keepalive must not hold the clock.
            if (keepAlives is not null && !await keepAlives.ArriveAsync(requestStream.Current, context.CancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var counted = node.Activity.Begin();
            LeaseKeepAliveResponse response;
            try
            {
                var request = requestStream.Current;
                response = new LeaseKeepAliveResponse
                {
                    ID = request.ID,
                    Header = node.Identity.Stamp(new ResponseHeader { Revision = node.Applier.CurrentRevision }),
                };
                response.TTL = node.Applier.LeaseRenew(request.ID);
                keepAlives?.Answered(response);
            }
            catch
            {
                counted.Dispose();
                throw;
            }

            await replies.WriteAsync(response, counted, context.CancellationToken).ConfigureAwait(false);
        }
    }
}

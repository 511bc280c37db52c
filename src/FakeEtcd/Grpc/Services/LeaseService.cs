using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using FakeEtcd.Clock;
using FakeEtcd.Grpc.Streams;
using FakeEtcd.Simulation;
using FakeEtcd.Simulation.Edge;
using Grpc.Core;

namespace FakeEtcd.Grpc.Services;

/// <summary>etcdserverpb.Lease over the apply path.</summary>
internal sealed class LeaseService(Applier applier, ActivityTracker activity, StreamHandovers handovers, ServerClock clock, Simulator? simulator = null) : Lease.LeaseBase
{
    public override Task<LeaseGrantResponse> LeaseGrant(LeaseGrantRequest request, ServerCallContext context) =>
        Task.FromResult(applier.LeaseGrant(request));

    public override Task<LeaseRevokeResponse> LeaseRevoke(LeaseRevokeRequest request, ServerCallContext context) =>
        Task.FromResult(applier.LeaseRevoke(request));

    public override Task<LeaseTimeToLiveResponse> LeaseTimeToLive(LeaseTimeToLiveRequest request, ServerCallContext context) =>
        Task.FromResult(applier.LeaseTimeToLive(request));

    public override Task<LeaseLeasesResponse> LeaseLeases(LeaseLeasesRequest request, ServerCallContext context) =>
        Task.FromResult(applier.LeaseLeases());

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
        var replies = CountedResponseWriter<LeaseKeepAliveResponse>.For(responseStream, context, handovers);
        var keepAlives = simulator is not null ? new SimulatedKeepAlives(simulator, clock.Time) : null;
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            // Faults act before the message counts as activity: a dropped or delayed keepalive must not hold the clock.
            if (keepAlives is not null && !await keepAlives.ArriveAsync(requestStream.Current, context.CancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var counted = activity.Begin();
            LeaseKeepAliveResponse response;
            try
            {
                var request = requestStream.Current;
                response = new LeaseKeepAliveResponse
                {
                    ID = request.ID,
                    Header = new ResponseHeader { Revision = applier.CurrentRevision },
                };
                response.TTL = applier.LeaseRenew(request.ID);
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

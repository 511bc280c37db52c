using EtcdProtocol.V3Electionpb;
using FakeEtcd.Clock;
using FakeEtcd.Cluster;
using FakeEtcd.Concurrency;
using Grpc.Core;

namespace FakeEtcd.Grpc;

/// <summary>v3electionpb.Election over <see cref="Concurrency.Election"/>; errors are Unknown with etcd's message.</summary>
internal sealed class ElectionService(EtcdNode node, KeyWaits waits) : EtcdProtocol.V3Electionpb.Election.ElectionBase
{
    private readonly Concurrency.Election _election = new(node.Applier, waits);

    public override async Task<CampaignResponse> Campaign(CampaignRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var response = await ConcurrencyErrors.Guard(() => _election.CampaignAsync(request, ct), ct).ConfigureAwait(false);
        node.Identity.Stamp(response.Header);
        return response;
    }

    public override Task<ProclaimResponse> Proclaim(ProclaimRequest request, ServerCallContext context) =>
        Run(() => _election.Proclaim(request), r => node.Identity.Stamp(r.Header), context);

    public override Task<LeaderResponse> Leader(LeaderRequest request, ServerCallContext context) =>
        Run(() => _election.Leader(request), r => node.Identity.Stamp(r.Header), context);

    public override Task<ResignResponse> Resign(ResignRequest request, ServerCallContext context) =>
        Run(() => _election.Resign(request), r => node.Identity.Stamp(r.Header), context);

    /// <summary>Counted as activity except while it waits for the next leader or change.</summary>
    public override async Task Observe(LeaderRequest request, IServerStreamWriter<LeaderResponse> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var observer = new ElectionObserver(node.Applier, waits);
        var handover = node.Activity.Handovers.Find(context.RequestHeaders.GetValue(StreamHandovers.HeaderName));
        var replies = new CountedResponseWriter<LeaderResponse>(responseStream, handover);
        using var call = node.Activity.Begin();

        // The request counted from the in-process client's send until here; ending it after the
        // call's own count started leaves no instant where nothing counts.
        handover?.Received();
        await ConcurrencyErrors.Guard(
            async () =>
            {
                await observer.RunAsync(
                    request,
                    async response =>
                    {
                        node.Identity.Stamp(response.Header);
                        await replies.WriteAsync(response, node.Activity.Begin(), ct).ConfigureAwait(false);
                    },
                    ct).ConfigureAwait(false);
                return 0;
            },
            ct).ConfigureAwait(false);
    }

    private static async Task<T> Run<T>(Func<T> operation, Action<T> stamp, ServerCallContext context)
    {
        var response = await ConcurrencyErrors.Guard(() => Task.FromResult(operation()), context.CancellationToken).ConfigureAwait(false);
        stamp(response);
        return response;
    }
}

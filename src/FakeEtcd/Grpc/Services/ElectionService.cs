using EtcdProtocol.V3Electionpb;
using FakeEtcd.Apply;
using FakeEtcd.Clock;
using FakeEtcd.Concurrency;
using FakeEtcd.Grpc.Streams;
using Grpc.Core;

namespace FakeEtcd.Grpc.Services;

/// <summary>v3electionpb.Election over <see cref="Concurrency.Election"/>; errors are Unknown with etcd's message.</summary>
internal sealed class ElectionService(Applier applier, KeyWaits waits, ActivityTracker activity, StreamHandovers handovers) : EtcdProtocol.V3Electionpb.Election.ElectionBase
{
    private readonly Concurrency.Election _election = new(applier, waits);

    public override async Task<CampaignResponse> Campaign(CampaignRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var response = await ConcurrencyErrors.Guard(() => _election.CampaignAsync(request, ct), ct).ConfigureAwait(false);
        return response;
    }

    public override Task<ProclaimResponse> Proclaim(ProclaimRequest request, ServerCallContext context) =>
        Run(() => _election.Proclaim(request), context);

    public override Task<LeaderResponse> Leader(LeaderRequest request, ServerCallContext context) =>
        Run(() => _election.Leader(request), context);

    public override Task<ResignResponse> Resign(ResignRequest request, ServerCallContext context) =>
        Run(() => _election.Resign(request), context);

    /// <summary>Counted as activity except while it waits for the next leader or change.</summary>
    public override async Task Observe(LeaderRequest request, IServerStreamWriter<LeaderResponse> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var observer = new ElectionObserver(applier, waits);
        var handover = handovers.Find(context.RequestHeaders.GetValue(StreamHandovers.HeaderName));
        var replies = new CountedResponseWriter<LeaderResponse>(responseStream, handover);
        using var call = activity.Begin();

        // The request counted from the in-process client's send until here; ending it after the
        // call's own count started leaves no instant where nothing counts.
        handover?.Received();
        await ConcurrencyErrors.Guard(
            () => observer.RunAsync(request, response => replies.WriteAsync(response, activity.Begin(), ct), ct),
            ct).ConfigureAwait(false);
    }

    private static Task<T> Run<T>(Func<T> operation, ServerCallContext context) =>
        ConcurrencyErrors.Guard(() => Task.FromResult(operation()), context.CancellationToken);
}

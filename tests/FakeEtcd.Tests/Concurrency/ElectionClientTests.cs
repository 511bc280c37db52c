using Etcdserverpb;
using FakeEtcd.Tests.Support;
using Grpc.Core;
using V3Electionpb;
using static FakeEtcd.Tests.Support.EtcdAssert;

namespace FakeEtcd.Tests.Concurrency;

/// <summary>v3electionpb.Election through dotnet-etcd, with the virtual clock expiring leases.</summary>
public sealed class ElectionClientTests : InProcessClientTest
{
    [Fact]
    public async Task CampaignWithAGrantedLeaseBecomesLeader()
    {
        var lease = await GrantAsync(60);

        var campaign = await Client.CampaignAsync("svc", lease, "node-a", cancellationToken: Ct);

        Assert.Equal(("svc", $"svc/{lease:x}", campaign.Header.Revision, lease), (campaign.Leader.Name.ToStringUtf8(), campaign.Leader.Key.ToStringUtf8(), campaign.Leader.Rev, campaign.Leader.Lease));
        Assert.Equal(Server.MemberId, campaign.Header.MemberId);
        var leader = await Client.LeaderAsync("svc", cancellationToken: Ct);
        Assert.Equal(("node-a", campaign.Leader.Key), (leader.Kv.Value.ToStringUtf8(), leader.Kv.Key));
    }

    [Fact]
    public async Task SecondCandidateBlocksUntilTheFirstResigns()
    {
        var first = await Client.CampaignAsync("svc", await GrantAsync(60), "a", cancellationToken: Ct);
        var second = Client.CampaignAsync("svc", await GrantAsync(60), "b", cancellationToken: Ct);
        await Server.Clock.SettleAsync(Ct);
        Assert.False(second.IsCompleted);

        await Client.ResignAsync(first.Leader, cancellationToken: Ct);

        var elected = await second;
        Assert.Equal("b", (await Client.LeaderAsync("svc", cancellationToken: Ct)).Kv.Value.ToStringUtf8());
        Assert.Equal(elected.Leader.Key, (await Client.LeaderAsync("svc", cancellationToken: Ct)).Kv.Key);
    }

    [Fact]
    public async Task SecondCandidateIsElectedWhenTheLeadersLeaseExpiresOnTheVirtualClock()
    {
        await Client.CampaignAsync("svc", await GrantAsync(60), "a", cancellationToken: Ct);
        var second = Client.CampaignAsync("svc", await GrantAsync(600), "b", cancellationToken: Ct);
        await Server.Clock.AdvanceAsync(TimeSpan.FromSeconds(59), Ct);
        Assert.False(second.IsCompleted);

        await Server.Clock.AdvanceAsync(TimeSpan.FromSeconds(1), Ct);

        Assert.True(second.IsCompleted);
        Assert.Equal("b", (await Client.LeaderAsync("svc", cancellationToken: Ct)).Kv.Value.ToStringUtf8());
    }

    [Fact]
    public async Task CampaignWithoutALeaseUsesAnOrphanedSixtySecondLease()
    {
        var campaign = await Client.CampaignAsync(new CampaignRequest { Name = B("svc"), Value = B("a") }, cancellationToken: Ct);
        Assert.NotEqual(0, campaign.Leader.Lease);

        await Server.Clock.AdvanceAsync(TimeSpan.FromSeconds(60), Ct);

        await FailsAsync(StatusCode.Unknown, "election: no leader", () => Client.LeaderAsync("svc", cancellationToken: Ct));
    }

    [Fact]
    public async Task LeaderProclaimAndObserveFollowTheLeaderKey()
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await using var observed = Client.ObserveAsync("svc", cancellationToken: stop.Token).GetAsyncEnumerator(stop.Token);
        var observing = observed.MoveNextAsync();
        var first = await Client.CampaignAsync("svc", await GrantAsync(60), "a", cancellationToken: Ct);
        Assert.True(await observing);
        Assert.Equal(("a", first.Header.Revision), (observed.Current.Kv.Value.ToStringUtf8(), observed.Current.Header.Revision));

        var proclaimed = await Client.ProclaimAsync(first.Leader, "a2", cancellationToken: Ct);
        Assert.True(await observed.MoveNextAsync());
        Assert.Equal(("a2", proclaimed.Header.Revision), (observed.Current.Kv.Value.ToStringUtf8(), observed.Current.Header.Revision));
        Assert.Equal("a2", (await Client.LeaderAsync("svc", cancellationToken: Ct)).Kv.Value.ToStringUtf8());

        var second = Client.CampaignAsync("svc", await GrantAsync(60), "b", cancellationToken: Ct);
        await Client.ResignAsync(first.Leader, cancellationToken: Ct);
        await second;
        Assert.True(await observed.MoveNextAsync());
        Assert.Equal("b", observed.Current.Kv.Value.ToStringUtf8());
        await stop.CancelAsync();
    }

    [Fact]
    public async Task ASettleCoversObserveMessagesUntilTheClientHasReadThem()
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var seen = new List<string>();
        await Client.CampaignAsync("svc", await GrantAsync(60), "a", cancellationToken: Ct);
        // The raw stub starts the call synchronously, so the settle below already counts it.
        using var observe = new V3Electionpb.Election.ElectionClient(Server.CreateCallInvoker())
            .Observe(new LeaderRequest { Name = B("svc") }, cancellationToken: stop.Token);
        var observing = ConsumeAsync();

        async Task ConsumeAsync()
        {
            while (await observe.ResponseStream.MoveNext(stop.Token))
            {
                lock (seen)
                {
                    seen.Add(observe.ResponseStream.Current.Kv.Value.ToStringUtf8());
                }
            }
        }

        await Server.Clock.SettleAsync(Ct);
        lock (seen)
        {
            Assert.Equal(["a"], seen);
        }

        var second = Client.CampaignAsync("svc", await GrantAsync(600), "b", cancellationToken: Ct);
        await Server.Clock.AdvanceAsync(TimeSpan.FromSeconds(60), Ct);

        lock (seen)
        {
            Assert.Equal(["a", "b"], seen);
        }

        Assert.True(second.IsCompletedSuccessfully);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => observing);
    }

    [Fact]
    public async Task ProclaimAfterLosingLeadershipIsNotLeader()
    {
        var first = await Client.CampaignAsync("svc", await GrantAsync(60), "a", cancellationToken: Ct);
        await Client.ResignAsync(first.Leader, cancellationToken: Ct);

        await FailsAsync(StatusCode.Unknown, "election: not leader", () => Client.ProclaimAsync(first.Leader, "x", cancellationToken: Ct));
        await Client.ResignAsync(first.Leader, cancellationToken: Ct); // A failed compare resigns silently.
    }

    [Fact]
    public async Task ErrorsAreUnknownWithEtcdsMessage()
    {
        await FailsAsync(StatusCode.Unknown, "election: no leader", () => Client.LeaderAsync("nobody", cancellationToken: Ct));
        await FailsAsync(StatusCode.Unknown, "etcdserver: requested lease not found", () => Client.CampaignAsync("svc", 12345, "a", cancellationToken: Ct));
        await FailsAsync(StatusCode.Unknown, "\"leader\" field must be provided", () => Client.ProclaimAsync(new ProclaimRequest { Value = B("x") }, cancellationToken: Ct));
        await FailsAsync(StatusCode.Unknown, "\"leader\" field must be provided", () => Client.ResignAsync(new ResignRequest(), cancellationToken: Ct));
    }

    [Fact]
    public async Task CancelledCampaignWithdrawsItsCandidateKey()
    {
        await Client.CampaignAsync("svc", await GrantAsync(60), "a", cancellationToken: Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var lease = await GrantAsync(60);
        var second = Client.CampaignAsync("svc", lease, "b", cancellationToken: cancel.Token);
        await Server.Clock.SettleAsync(Ct);
        Assert.Equal(2, (await Client.GetRangeAsync("svc/", cancellationToken: Ct)).Count);
        using var deletes = await DeleteWatch.StartAsync(Server.CreateCallInvoker(), "svc/", Ct);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second); // The fixture channel throws on cancellation.
        Assert.Equal($"svc/{lease:x}", await deletes.NextDeleteAsync(Ct));
    }

    private static Google.Protobuf.ByteString B(string text) => Google.Protobuf.ByteString.CopyFromUtf8(text);

    private async Task<long> GrantAsync(long ttl) =>
        (await Client.LeaseGrantAsync(new LeaseGrantRequest { TTL = ttl }, cancellationToken: Ct)).ID;
}

using dotnet_etcd;
using Etcdserverpb;
using Grpc.Core;
using V3Electionpb;
using static FakeEtcd.Tests.Support.EtcdAssert;

namespace FakeEtcd.Tests.Concurrency;

/// <summary>v3electionpb.Election through dotnet-etcd, with the virtual clock expiring leases.</summary>
public sealed class ElectionClientTests : IAsyncLifetime
{
    private FakeEtcdServer _server = null!;
    private EtcdClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        _client = new EtcdClient(_server.CreateCallInvoker());
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task CampaignWithAGrantedLeaseBecomesLeader()
    {
        var lease = await GrantAsync(60);

        var campaign = await _client.CampaignAsync("svc", lease, "node-a", cancellationToken: Ct);

        Assert.Equal(("svc", $"svc/{lease:x}", campaign.Header.Revision, lease), (campaign.Leader.Name.ToStringUtf8(), campaign.Leader.Key.ToStringUtf8(), campaign.Leader.Rev, campaign.Leader.Lease));
        Assert.Equal(_server.MemberId, campaign.Header.MemberId);
        var leader = await _client.LeaderAsync("svc", cancellationToken: Ct);
        Assert.Equal(("node-a", campaign.Leader.Key), (leader.Kv.Value.ToStringUtf8(), leader.Kv.Key));
    }

    [Fact]
    public async Task SecondCandidateBlocksUntilTheFirstResigns()
    {
        var first = await _client.CampaignAsync("svc", await GrantAsync(60), "a", cancellationToken: Ct);
        var second = _client.CampaignAsync("svc", await GrantAsync(60), "b", cancellationToken: Ct);
        await _server.Clock.SettleAsync(Ct);
        Assert.False(second.IsCompleted);

        await _client.ResignAsync(first.Leader, cancellationToken: Ct);

        var elected = await second;
        Assert.Equal("b", (await _client.LeaderAsync("svc", cancellationToken: Ct)).Kv.Value.ToStringUtf8());
        Assert.Equal(elected.Leader.Key, (await _client.LeaderAsync("svc", cancellationToken: Ct)).Kv.Key);
    }

    [Fact]
    public async Task SecondCandidateIsElectedWhenTheLeadersLeaseExpiresOnTheVirtualClock()
    {
        await _client.CampaignAsync("svc", await GrantAsync(60), "a", cancellationToken: Ct);
        var second = _client.CampaignAsync("svc", await GrantAsync(600), "b", cancellationToken: Ct);
        await _server.Clock.AdvanceAsync(TimeSpan.FromSeconds(59), Ct);
        Assert.False(second.IsCompleted);

        await _server.Clock.AdvanceAsync(TimeSpan.FromSeconds(1), Ct);

        Assert.True(second.IsCompleted);
        Assert.Equal("b", (await _client.LeaderAsync("svc", cancellationToken: Ct)).Kv.Value.ToStringUtf8());
    }

    [Fact]
    public async Task CampaignWithoutALeaseUsesAnOrphanedSixtySecondLease()
    {
        var campaign = await _client.CampaignAsync(new CampaignRequest { Name = B("svc"), Value = B("a") }, cancellationToken: Ct);
        Assert.NotEqual(0, campaign.Leader.Lease);

        await _server.Clock.AdvanceAsync(TimeSpan.FromSeconds(60), Ct);

        await FailsAsync(StatusCode.Unknown, "election: no leader", () => _client.LeaderAsync("svc", cancellationToken: Ct));
    }

    [Fact]
    public async Task LeaderProclaimAndObserveFollowTheLeaderKey()
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await using var observed = _client.ObserveAsync("svc", cancellationToken: stop.Token).GetAsyncEnumerator(stop.Token);
        var observing = observed.MoveNextAsync();
        var first = await _client.CampaignAsync("svc", await GrantAsync(60), "a", cancellationToken: Ct);
        Assert.True(await observing);
        Assert.Equal(("a", first.Header.Revision), (observed.Current.Kv.Value.ToStringUtf8(), observed.Current.Header.Revision));

        var proclaimed = await _client.ProclaimAsync(first.Leader, "a2", cancellationToken: Ct);
        Assert.True(await observed.MoveNextAsync());
        Assert.Equal(("a2", proclaimed.Header.Revision), (observed.Current.Kv.Value.ToStringUtf8(), observed.Current.Header.Revision));
        Assert.Equal("a2", (await _client.LeaderAsync("svc", cancellationToken: Ct)).Kv.Value.ToStringUtf8());

        var second = _client.CampaignAsync("svc", await GrantAsync(60), "b", cancellationToken: Ct);
        await _client.ResignAsync(first.Leader, cancellationToken: Ct);
        await second;
        Assert.True(await observed.MoveNextAsync());
        Assert.Equal("b", observed.Current.Kv.Value.ToStringUtf8());
        await stop.CancelAsync();
    }

    [Fact]
    public async Task ProclaimAfterLosingLeadershipIsNotLeader()
    {
        var first = await _client.CampaignAsync("svc", await GrantAsync(60), "a", cancellationToken: Ct);
        await _client.ResignAsync(first.Leader, cancellationToken: Ct);

        await FailsAsync(StatusCode.Unknown, "election: not leader", () => _client.ProclaimAsync(first.Leader, "x", cancellationToken: Ct));
        await _client.ResignAsync(first.Leader, cancellationToken: Ct); // A failed compare resigns silently.
    }

    [Fact]
    public async Task ErrorsAreUnknownWithEtcdsMessage()
    {
        await FailsAsync(StatusCode.Unknown, "election: no leader", () => _client.LeaderAsync("nobody", cancellationToken: Ct));
        await FailsAsync(StatusCode.Unknown, "etcdserver: requested lease not found", () => _client.CampaignAsync("svc", 12345, "a", cancellationToken: Ct));
        await FailsAsync(StatusCode.Unknown, "\"leader\" field must be provided", () => _client.ProclaimAsync(new ProclaimRequest { Value = B("x") }, cancellationToken: Ct));
        await FailsAsync(StatusCode.Unknown, "\"leader\" field must be provided", () => _client.ResignAsync(new ResignRequest(), cancellationToken: Ct));
    }

    [Fact]
    public async Task CancelledCampaignWithdrawsItsCandidateKey()
    {
        await _client.CampaignAsync("svc", await GrantAsync(60), "a", cancellationToken: Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var lease = await GrantAsync(60);
        var second = _client.CampaignAsync("svc", lease, "b", cancellationToken: cancel.Token);
        await _server.Clock.SettleAsync(Ct);
        Assert.Equal(2, (await _client.GetRangeAsync("svc/", cancellationToken: Ct)).Count);
        using var deletes = await DeleteWatch.StartAsync(_server.CreateCallInvoker(), "svc/", Ct);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second); // The fixture channel throws on cancellation.
        Assert.Equal($"svc/{lease:x}", await deletes.NextDeleteAsync(Ct));
    }

    private static Google.Protobuf.ByteString B(string text) => Google.Protobuf.ByteString.CopyFromUtf8(text);

    private async Task<long> GrantAsync(long ttl) =>
        (await _client.LeaseGrantAsync(new LeaseGrantRequest { TTL = ttl }, cancellationToken: Ct)).ID;
}

namespace FakeEtcd.Tests.Hosting;

/// <summary>Member and cluster ids as etcd 3.4 derives them for the same flags (values read from etcd 3.4.23).</summary>
public sealed class MemberIdentityTests
{
    [Fact]
    public async Task Default_flags_give_etcd_s_default_ids()
    {
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal((0x8e9e05c52164694dUL, 0xcdf818194e3a8c32UL), (server.MemberId, server.ClusterId));
    }

    [Fact]
    public async Task Peer_urls_and_token_give_the_ids_etcd_gives_them_and_peer_urls_are_listed_sorted()
    {
        var options = new FakeEtcdServerOptions { InitialClusterToken = "tok-1" };
        options.AdvertisePeerUrls.Clear();
        options.AdvertisePeerUrls.Add(new Uri("http://127.0.0.1:23802"));
        options.AdvertisePeerUrls.Add(new Uri("http://10.0.0.1:2380"));
        await using var server = await FakeEtcdServer.StartAsync(options, TestContext.Current.CancellationToken);
        var client = new Etcdserverpb.Cluster.ClusterClient(server.CreateCallInvoker());

        var members = await client.MemberListAsync(new Etcdserverpb.MemberListRequest(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal((3131454381968595940UL, 17260771405473537289UL), (server.MemberId, server.ClusterId));
        Assert.Equal(["http://10.0.0.1:2380", "http://127.0.0.1:23802"], members.Members.Single().PeerURLs);
    }
}

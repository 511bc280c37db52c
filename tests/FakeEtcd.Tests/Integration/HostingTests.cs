using System.Net;
using System.Net.Sockets;
using dotnet_etcd;

namespace FakeEtcd.Tests.Integration;

/// <summary>Starting, sharing and stopping in-process servers.</summary>
public class HostingTests
{
    [Fact]
    public async Task CallInvokerClientAndIndependentServersSideBySide()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var first = await FakeEtcdServer.StartAsync(cancellationToken: ct);
        await using var second = await FakeEtcdServer.StartAsync(cancellationToken: ct);
        using var viaInvoker = new EtcdClient(first.CreateCallInvoker());
        using var viaUrl = new EtcdClient(second.ClientUrl.ToString());

        await viaInvoker.PutAsync("k", "first", cancellationToken: ct);

        Assert.NotEqual(first.ClientUrl, second.ClientUrl);
        Assert.Equal("first", await viaInvoker.GetValAsync("k", cancellationToken: ct));
        Assert.Equal(string.Empty, await viaUrl.GetValAsync("k", cancellationToken: ct));
        Assert.Equal((2L, 1L), (first.Revision, second.Revision));
    }

    [Fact]
    public async Task A_unix_socket_listen_URL_serves_the_server_s_own_channel_and_its_members_URL()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(Path.GetTempPath(), $"fakeetcd-{Guid.NewGuid():N}.sock");
        var options = new FakeEtcdServerOptions();
        options.ListenClientUrls.Clear();
        options.ListenClientUrls.Add(new Uri("unix://" + file));
        var server = await FakeEtcdServer.StartAsync(options, ct);
        using (var channel = server.CreateChannel())
        {
            var client = new EtcdClient(channel.CreateCallInvoker());
            await client.PutAsync("k", "v", cancellationToken: ct);
            var members = await client.MemberListAsync(new Etcdserverpb.MemberListRequest(), cancellationToken: ct);

            Assert.Equal(new Uri("unix://" + file), server.ClientUrl);
            Assert.Equal(["unix://" + file], Assert.Single(members.Members).ClientURLs);
            Assert.True(File.Exists(file));
        }

        await server.DisposeAsync();

        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task A_unixs_listen_URL_serves_TLS_over_the_socket()
    {
        var ct = TestContext.Current.CancellationToken;
        using var pki = TestCertificates.Create();
        var file = Path.Combine(Path.GetTempPath(), $"fakeetcd-{Guid.NewGuid():N}.sock");
        var options = new FakeEtcdServerOptions { ServerCertificate = pki.Server };
        options.ListenClientUrls.Clear();
        options.ListenClientUrls.Add(new Uri("unixs://" + file));
        await using var server = await FakeEtcdServer.StartAsync(options, ct);
        using var channel = server.CreateChannel();
        var client = new EtcdClient(channel.CreateCallInvoker());

        await client.PutAsync("k", "over TLS on a socket file", cancellationToken: ct);

        Assert.Equal("over TLS on a socket file", await client.GetValAsync("k", cancellationToken: ct));
        Assert.Equal(new Uri("unixs://" + file), server.ClientUrl);
    }

    [Fact]
    public async Task DefaultsToLoopbackWithAFreePortAndDisposeFreesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = await FakeEtcdServer.StartAsync(cancellationToken: ct);
        var url = server.ClientUrl;
        Assert.Equal(("http", "127.0.0.1"), (url.Scheme, url.Host));
        Assert.NotEqual(0, url.Port);

        await server.DisposeAsync();

        using var listener = new TcpListener(IPAddress.Loopback, url.Port);
        listener.Start();
        listener.Stop();
        var options = new FakeEtcdServerOptions { Name = "again" };
        options.ListenClientUrls[0] = url;
        await using var again = await FakeEtcdServer.StartAsync(options, ct);
        Assert.Equal(url, again.ClientUrl);
    }

    [Fact]
    public async Task CompatibilityDefaultsTo35AndSelects34()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(EtcdCompatibility.Etcd35, new FakeEtcdServerOptions().Compatibility);
        await using var etcd35 = await FakeEtcdServer.StartAsync(cancellationToken: ct);
        await using var etcd34 = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { Compatibility = EtcdCompatibility.Etcd34 }, ct);
        using var client35 = new EtcdClient(etcd35.CreateCallInvoker());
        using var client34 = new EtcdClient(etcd34.CreateCallInvoker());

        var status35 = await client35.StatusAsync(new Etcdserverpb.StatusRequest(), cancellationToken: ct);
        var status34 = await client34.StatusAsync(new Etcdserverpb.StatusRequest(), cancellationToken: ct);

        Assert.Equal(("3.5.26", "3.4.23"), (status35.Version, status34.Version));
    }

    [Fact]
    public async Task IdsAreStablePerConfigurationAndFollowPeerUrlsAndTokenNotTheName()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var a = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { Name = "a" }, ct);
        await using var a2 = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { Name = "a" }, ct);
        await using var b = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { Name = "b" }, ct); // etcd hashes no name
        await using var token = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { InitialClusterToken = "other" }, ct);
        var peerOptions = new FakeEtcdServerOptions();
        peerOptions.AdvertisePeerUrls[0] = new Uri("http://127.0.0.1:2380");
        await using var peer = await FakeEtcdServer.StartAsync(peerOptions, ct);

        Assert.Equal((a.MemberId, a.ClusterId), (a2.MemberId, a2.ClusterId));
        Assert.Equal((a.MemberId, a.ClusterId), (b.MemberId, b.ClusterId));
        Assert.Equal(3, new[] { a.MemberId, token.MemberId, peer.MemberId }.Distinct().Count());
        Assert.Equal(3, new[] { a.ClusterId, token.ClusterId, peer.ClusterId }.Distinct().Count());
    }
}

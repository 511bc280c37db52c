using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace FakeEtcd.Tests.Hosting;

/// <summary>
/// <see cref="FakeEtcdServer.CreateInMemoryChannel"/>: an HTTP/2 connection over pipes to the same
/// server that listens on the client URL, invisible to everything that reports the server's URLs.
/// </summary>
public sealed class InMemoryChannelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InMemoryAndUrlClientsShareOneKeySpace()
    {
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        using var memoryChannel = server.CreateInMemoryChannel();
        using var inMemory = new EtcdClient(memoryChannel.CreateCallInvoker());
        using var overUrl = new EtcdClient(server.ClientUrl.ToString());

        var put = await inMemory.PutAsync("k", "v", cancellationToken: Ct);
        var read = await overUrl.GetAsync("k", cancellationToken: Ct);

        Assert.Equal(2, put.Header.Revision);
        Assert.Equal(server.MemberId, put.Header.MemberId);
        Assert.Equal(("k", "v", 2L), (read.Kvs[0].Key.ToStringUtf8(), read.Kvs[0].Value.ToStringUtf8(), read.Kvs[0].ModRevision));
    }

    [Fact]
    public async Task TheInMemoryListenerIsNotAClientUrl()
    {
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        using var channel = server.CreateInMemoryChannel();
        var members = await new Etcdserverpb.Cluster.ClusterClient(channel).MemberListAsync(new MemberListRequest(), cancellationToken: Ct);

        var url = Assert.Single(server.ClientUrls);
        Assert.Equal(("http", "127.0.0.1"), (url.Scheme, url.Host));
        Assert.Equal([url.GetLeftPart(UriPartial.Authority)], members.Members.Single().ClientURLs);
    }

    [Fact]
    public async Task StoppingTheServerEndsAWatchOnAnInMemoryChannel()
    {
        var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        using var channel = server.CreateInMemoryChannel();
        using var watch = new Etcdserverpb.Watch.WatchClient(channel).Watch(cancellationToken: Ct);
        await watch.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFromUtf8("k") } }, Ct);
        Assert.True(await watch.ResponseStream.MoveNext(Ct));
        Assert.True(watch.ResponseStream.Current.Created);

        await server.DisposeAsync();
        var ended = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(Ct));

        Assert.Equal(StatusCode.Unavailable, ended.StatusCode);
    }

    [Fact]
    public async Task AnHttpsServerStillServesItsInMemoryChannelInCleartext()
    {
        using var pki = TestCertificates.Create();
        var options = new FakeEtcdServerOptions { ServerCertificate = pki.Server };
        options.ListenClientUrls.Clear();
        options.ListenClientUrls.Add(new Uri("https://127.0.0.1:0"));
        await using var server = await FakeEtcdServer.StartAsync(options, Ct);
        using var channel = server.CreateInMemoryChannel();
        using var client = new EtcdClient(channel.CreateCallInvoker());

        var put = await client.PutAsync("k", "v", cancellationToken: Ct);

        Assert.Equal(2, put.Header.Revision);
    }
}

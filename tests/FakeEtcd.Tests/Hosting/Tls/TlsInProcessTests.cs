using dotnet_etcd;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace FakeEtcd.Tests.Hosting.Tls;

/// <summary>The in-process server over TLS (<see cref="FakeEtcdServerOptions.ServerCertificate"/>), with dotnet-etcd.</summary>
public sealed class TlsInProcessTests : IDisposable
{
    private readonly TestCertificates _pki = TestCertificates.Create();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task DotnetEtcdOverHttpsSeesEtcdsLimitsAndErrors()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new FakeEtcdServerOptions { ServerCertificate = _pki.Server };
        options.ListenClientUrls.Clear();
        options.ListenClientUrls.Add(new Uri("https://127.0.0.1:0"));
        await using var server = await FakeEtcdServer.StartAsync(options, ct);
        using var channel = GrpcChannel.ForAddress(server.ClientUrl, new GrpcChannelOptions { HttpHandler = _pki.Handler() });
        using var client = new EtcdClient(channel.CreateCallInvoker());

        await client.PutAsync("k", "v", cancellationToken: ct);
        var tooLarge = await Assert.ThrowsAsync<RpcException>(() => client.PutAsync(
            new Etcdserverpb.PutRequest { Key = ByteString.CopyFromUtf8("a"), Value = ByteString.CopyFrom(new byte[1600 * 1024]) }, cancellationToken: ct));
        var overGrpcLimit = await Assert.ThrowsAsync<RpcException>(() => client.PutAsync(
            new Etcdserverpb.PutRequest { Key = ByteString.CopyFromUtf8("a"), Value = ByteString.CopyFrom(new byte[2100 * 1024]) }, cancellationToken: ct));
        using var own = new EtcdClient(server.CreateCallInvoker());
        var viaOwnChannel = await own.GetValAsync("k", cancellationToken: ct);

        Assert.Equal("https", server.ClientUrl.Scheme);
        Assert.Equal((StatusCode.InvalidArgument, "etcdserver: request is too large"), (tooLarge.StatusCode, tooLarge.Status.Detail));
        Assert.Equal(StatusCode.ResourceExhausted, overGrpcLimit.StatusCode);
        Assert.Equal("v", viaOwnChannel);
        Assert.Equal(2, server.Revision);
    }

    [Fact]
    public async Task HttpsListenUrlWithoutCertificateFailsToStart()
    {
        var options = new FakeEtcdServerOptions();
        options.ListenClientUrls.Clear();
        options.ListenClientUrls.Add(new Uri("https://127.0.0.1:0"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => FakeEtcdServer.StartAsync(options, TestContext.Current.CancellationToken));

        Assert.Equal("listen URL 'https://127.0.0.1:0/' needs a server certificate (--cert-file and --key-file) (Parameter 'url')", error.Message);
    }
}

using dotnet_etcd;
using FakeEtcd.Cli;
using FakeEtcd.Tests.Support;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace FakeEtcd.Tests.Hosting.Tls;

/// <summary>
/// The standalone server's security defaults: loopback unless told otherwise, TLS with etcd's flag
/// names (--cert-file, --key-file, --trusted-ca-file, --client-cert-auth) tested with the real Go
/// etcdctl and dotnet-etcd, and the request-size limits over TLS.
/// </summary>
public sealed class TlsStandaloneTests : IDisposable
{
    private readonly TestCertificates _pki = TestCertificates.Create();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void DefaultListenUrlIsLoopbackOnly()
    {
        var urls = StandaloneCommand.DefaultListenClientUrls.Split(',');

        Assert.All(urls, url => Assert.True(new Uri(url).IsLoopback, url));
    }

    [Fact]
    public async Task EtcdctlPutGetAndEndpointStatusOverTls()
    {
        Etcdctl.RequireOrSkip();
        await using var server = await StandaloneProcess.StartAsync(
            "--listen-client-urls", "https://127.0.0.1:0", "--cert-file", _pki.ServerCertFile, "--key-file", _pki.ServerKeyFile, "--name", "tls1");
        var endpoint = server.ClientUrl.GetLeftPart(UriPartial.Authority);

        var put = await Etcdctl.RunAsync("--endpoints", endpoint, "--cacert", _pki.CaFile, "put", "k", "v");
        var get = await Etcdctl.RunAsync("--endpoints", endpoint, "--cacert", _pki.CaFile, "get", "k");
        var status = await Etcdctl.RunAsync("--endpoints", endpoint, "--cacert", _pki.CaFile, "endpoint", "status");
        var health = await Etcdctl.RunAsync("--endpoints", endpoint, "--cacert", _pki.CaFile, "endpoint", "health");
        var members = await Etcdctl.RunAsync("--endpoints", endpoint, "--cacert", _pki.CaFile, "member", "list");

        Assert.StartsWith("https://127.0.0.1:", endpoint, StringComparison.Ordinal);
        Assert.Equal((0, "OK\n"), put);
        Assert.Equal((0, "k\nv\n"), get);
        Assert.Equal(0, status.ExitCode);
        Assert.StartsWith($"{endpoint}, ", status.Output, StringComparison.Ordinal);
        Assert.Contains(", 3.5.26, ", status.Output, StringComparison.Ordinal);
        Assert.Equal(0, health.ExitCode);
        Assert.StartsWith($"{endpoint} is healthy: ", health.Output, StringComparison.Ordinal);
        Assert.Equal(0, members.ExitCode);
        Assert.EndsWith($", started, tls1, http://localhost:2380, {endpoint}, false\n", members.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EtcdctlRejectsTheServerWithoutTheCa()
    {
        Etcdctl.RequireOrSkip();
        await using var server = await StandaloneProcess.StartAsync(
            "--listen-client-urls", "https://127.0.0.1:0", "--cert-file", _pki.ServerCertFile, "--key-file", _pki.ServerKeyFile);
        var endpoint = server.ClientUrl.GetLeftPart(UriPartial.Authority);

        var (exitCode, output) = await Etcdctl.RunAsync("--endpoints", endpoint, "--dial-timeout", "2s", "put", "k", "v");

        Assert.NotEqual(0, exitCode);
        Assert.EndsWith("Error: context deadline exceeded\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientCertAuthAdmitsOnlyClientsWithACertificateFromTheTrustedCa()
    {
        Etcdctl.RequireOrSkip();
        await using var server = await StandaloneProcess.StartAsync(
            "--listen-client-urls", "https://127.0.0.1:0", "--cert-file", _pki.ServerCertFile, "--key-file", _pki.ServerKeyFile,
            "--trusted-ca-file", _pki.CaFile, "--client-cert-auth");
        var endpoint = server.ClientUrl.GetLeftPart(UriPartial.Authority);

        var withCert = await Etcdctl.RunAsync(
            "--endpoints", endpoint, "--cacert", _pki.CaFile, "--cert", _pki.ClientCertFile, "--key", _pki.ClientKeyFile, "put", "k", "v");
        var withoutCert = await Etcdctl.RunAsync(
            "--endpoints", endpoint, "--cacert", _pki.CaFile, "--dial-timeout", "2s", "--command-timeout", "3s", "get", "k");
        using var channel = GrpcChannel.ForAddress(server.ClientUrl, new GrpcChannelOptions { HttpHandler = _pki.Handler(presentClientCertificate: true) });
        using var client = new EtcdClient(channel.CreateCallInvoker());
        var value = await client.GetValAsync("k", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal((0, "OK\n"), withCert);
        Assert.NotEqual(0, withoutCert.ExitCode);
        Assert.EndsWith("Error: context deadline exceeded\n", withoutCert.Output, StringComparison.Ordinal);
        Assert.Equal("v", value);
    }

    [Fact]
    public async Task RequestSizeLimitsHoldOverTls()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StandaloneProcess.StartAsync(
            "--listen-client-urls", "https://127.0.0.1:0", "--cert-file", _pki.ServerCertFile, "--key-file", _pki.ServerKeyFile,
            "--max-request-bytes", "4096");
        using var channel = GrpcChannel.ForAddress(server.ClientUrl, new GrpcChannelOptions { HttpHandler = _pki.Handler() });
        using var client = new EtcdClient(channel.CreateCallInvoker());

        await client.PutAsync("small", "v", cancellationToken: ct);
        var tooLarge = await Assert.ThrowsAsync<RpcException>(() => client.PutAsync(
            new Etcdserverpb.PutRequest { Key = ByteString.CopyFromUtf8("a"), Value = ByteString.CopyFrom(new byte[5000]) }, cancellationToken: ct));
        var overGrpcLimit = await Assert.ThrowsAsync<RpcException>(() => client.PutAsync(
            new Etcdserverpb.PutRequest { Key = ByteString.CopyFromUtf8("a"), Value = ByteString.CopyFrom(new byte[600 * 1024]) }, cancellationToken: ct));
        var after = await client.GetAsync("a", cancellationToken: ct);

        Assert.Equal((StatusCode.InvalidArgument, "etcdserver: request is too large"), (tooLarge.StatusCode, tooLarge.Status.Detail));
        Assert.Equal(StatusCode.ResourceExhausted, overGrpcLimit.StatusCode);
        Assert.Equal((0L, 2L), (after.Count, after.Header.Revision));
    }

    [Fact]
    public async Task HttpsListenUrlWithoutCertificateIsRejected()
    {
        var (exitCode, error) = await StandaloneProcess.RunForErrorAsync("--listen-client-urls", "https://127.0.0.1:0");

        Assert.Equal(1, exitCode);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("{\"level\":\"info\",", lines[0], StringComparison.Ordinal); // zap's "starting an etcd server", as etcd logs it before it fails
        Assert.Equal(["error: listen URL 'https://127.0.0.1:0/' needs a server certificate (--cert-file and --key-file) (Parameter 'url')"], lines[1..]);
    }

    [Fact]
    public async Task CertFileWithoutKeyFileIsRejected()
    {
        var (exitCode, error) = await StandaloneProcess.RunForErrorAsync(
            "--listen-client-urls", "https://127.0.0.1:0", "--cert-file", _pki.ServerCertFile);

        Assert.Equal(1, exitCode);
        Assert.Equal("error: --cert-file and --key-file must be given together\n", error);
    }
}

using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using dotnet_etcd;
using FakeEtcd.Transport.Http2;
using Grpc.Net.Client;

namespace FakeEtcd.Tests.Hosting;

/// <summary>
/// One client port for gRPC and HTTP, as etcd's: HTTP/1.1 and HTTP/2 (cleartext by prior knowledge, TLS
/// by ALPN), told apart by the connection's first bytes.
/// </summary>
public sealed class ClientPortProtocolsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cleartext_port_serves_gRPC_HTTP_1_1_and_h2c_on_the_same_port()
    {
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        using var client = new EtcdClient(server.ClientUrl.ToString());
        await client.PutAsync("k", "v", cancellationToken: Ct);
        using var http = new HttpClient();

        using var http11 = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(server.ClientUrl, "/health")), Ct);
        using var h2c = await http.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, new Uri(server.ClientUrl, "/version")) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact },
            Ct);

        Assert.Equal((HttpVersion.Version11, HttpStatusCode.OK, """{"health":"true","reason":""}"""), (http11.Version, http11.StatusCode, await http11.Content.ReadAsStringAsync(Ct)));
        Assert.Equal((HttpVersion.Version20, HttpStatusCode.OK, """{"etcdserver":"3.5.26","etcdcluster":"3.5.0"}"""), (h2c.Version, h2c.StatusCode, await h2c.Content.ReadAsStringAsync(Ct)));
        Assert.Equal("v", await client.GetValAsync("k", cancellationToken: Ct));
    }

    [Fact]
    public async Task Tls_port_serves_gRPC_and_HTTP_1_1_by_ALPN()
    {
        using var pki = TestCertificates.Create();
        var options = new FakeEtcdServerOptions { ServerCertificate = pki.Server };
        options.ListenClientUrls.Clear();
        options.ListenClientUrls.Add(new Uri("https://127.0.0.1:0"));
        await using var server = await FakeEtcdServer.StartAsync(options, Ct);
        using var channel = GrpcChannel.ForAddress(server.ClientUrl, new GrpcChannelOptions { HttpHandler = pki.Handler() });
        using var client = new EtcdClient(channel.CreateCallInvoker());
        using var http = new HttpClient(pki.Handler());

        await client.PutAsync("k", "v", cancellationToken: Ct);
        using var range = await http.PostAsync(new Uri(server.ClientUrl, "/v3/kv/range"), new StringContent("""{"key":"aw=="}"""), Ct);

        Assert.Equal((HttpVersion.Version11, HttpStatusCode.OK), (range.Version, range.StatusCode));
        Assert.Contains("""
            "kvs":[{"key":"aw==","create_revision":"2","mod_revision":"2","version":"1","value":"dg=="}],"count":"1"}
            """, await range.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", true)]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04", true)]
    [InlineData("GET /health HTTP/1.1\r\n", false)]
    [InlineData("PRI * HTTP/1.1\r\n", false)]
    [InlineData("POST", false)]
    [InlineData("", false)]
    public async Task First_bytes_decide_the_protocol_in_any_split_and_nothing_is_consumed(string opening, bool http2)
    {
        var bytes = Encoding.Latin1.GetBytes(opening);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var pipe = new Pipe();
            var decided = CleartextProtocolSelection.OpensWithPrefaceAsync(pipe.Reader, Ct).AsTask();
            await pipe.Writer.WriteAsync(bytes.AsMemory(0, split), Ct);
            await pipe.Writer.WriteAsync(bytes.AsMemory(split), Ct);
            await pipe.Writer.CompleteAsync();

            Assert.Equal((split, http2), (split, await decided));
            var rest = await pipe.Reader.ReadAtLeastAsync(bytes.Length, Ct);
            Assert.Equal(bytes, rest.Buffer.ToArray());
        }
    }
}

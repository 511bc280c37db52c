using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;

namespace FakeEtcd.Tests.Integration;

/// <summary>/metrics' gRPC byte counters count each marshalled message, as etcd's codec does (no gRPC framing).</summary>
public sealed class GrpcTrafficMetricsTests
{
    [Fact]
    public async Task The_byte_counters_add_up_every_request_and_response_message()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: ct);
        using var client = new EtcdClient(server.CreateCallInvoker());
        var put = new PutRequest { Key = ByteString.CopyFromUtf8("key"), Value = ByteString.CopyFromUtf8("value") };
        var range = new RangeRequest { Key = ByteString.CopyFromUtf8("key") };

        var putAnswer = await client.PutAsync(put, cancellationToken: ct);
        var rangeAnswer = await client.GetAsync(range, cancellationToken: ct);
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(server.ClientUrl, "/metrics"), ct);

        Assert.Contains($"\netcd_network_client_grpc_received_bytes_total {put.CalculateSize() + range.CalculateSize()}\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"\netcd_network_client_grpc_sent_bytes_total {putAnswer.CalculateSize() + rangeAnswer.CalculateSize()}\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_are_counted_by_type_and_the_client_s_API_version_as_etcd_counts_them()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: ct);
        using var client = new EtcdClient(server.CreateCallInvoker());
        using var http = new HttpClient();
        var metricsUrl = new Uri(server.ClientUrl, "/metrics");
        Assert.DoesNotContain("etcd_server_client_requests_total", await http.GetStringAsync(metricsUrl, ct), StringComparison.Ordinal);

        await client.PutAsync("k", "v", cancellationToken: ct);
        await client.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("k") }, new global::Grpc.Core.Metadata { { "client-api-version", "3.4" } }, cancellationToken: ct);
        var lease = await client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 }, cancellationToken: ct);
        using (var keepAlive = new Lease.LeaseClient(server.CreateCallInvoker()).LeaseKeepAlive(cancellationToken: ct))
        {
            await keepAlive.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease.ID }, ct);
            Assert.True(await keepAlive.ResponseStream.MoveNext(ct));
        }

        var metrics = await http.GetStringAsync(metricsUrl, ct);

        Assert.Contains(
            "# HELP etcd_server_client_requests_total The total number of client requests per client version.\n"
            + "# TYPE etcd_server_client_requests_total counter\n"
            + "etcd_server_client_requests_total{client_api_version=\"3.4\",type=\"unary\"} 1\n"
            + "etcd_server_client_requests_total{client_api_version=\"unknown\",type=\"stream\"} 1\n"
            + "etcd_server_client_requests_total{client_api_version=\"unknown\",type=\"unary\"} 2\n",
            metrics,
            StringComparison.Ordinal);
    }
}

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
}

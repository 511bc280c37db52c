using Etcdserverpb;
using Google.Protobuf;
using Grpc.Net.Client;

namespace FakeEtcd.Tests.Hosting;

/// <summary>
/// etcd's gRPC server takes any number of concurrent streams on one connection; Kestrel's default
/// (100 per connection) stalled the 101st watch stream of a client that watches per component.
/// </summary>
public sealed class StreamLimitTests
{
    private const int Streams = 150;

    [Fact]
    public async Task One_connection_carries_150_concurrent_watch_streams()
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(30)); // Wall bound: a stalled stream would wait forever.
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: bound.Token);
        // One connection, as grpc-go's clients keep (.NET's handler would open a second one at the limit).
        using var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false };
        using var channel = GrpcChannel.ForAddress(server.ClientUrl, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false });
        var watch = new Etcdserverpb.Watch.WatchClient(channel);
        var calls = Enumerable.Range(0, Streams).Select(_ => watch.Watch(cancellationToken: bound.Token)).ToList();
        try
        {
            var created = new List<WatchResponse>();
            foreach (var call in calls)
            {
                await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFromUtf8("k") } }, bound.Token);
                Assert.True(await call.ResponseStream.MoveNext(bound.Token));
                created.Add(call.ResponseStream.Current);
            }

            Assert.All(created, r => Assert.Equal((true, 0L), (r.Created, r.WatchId)));
        }
        finally
        {
            foreach (var call in calls)
            {
                call.Dispose();
            }
        }
    }
}

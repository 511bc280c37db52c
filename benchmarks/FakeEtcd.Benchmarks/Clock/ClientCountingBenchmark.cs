using BenchmarkDotNet.Attributes;
using Etcdserverpb;
using FakeEtcd.Benchmarks.Failover;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace FakeEtcd.Benchmarks.Clock;

/// <summary>
/// What the settle's counting costs per client kind: a Put on the fixture's invoker (counted by its
/// interceptor), on an in-memory channel and on a URL channel over TCP (both counted through the
/// gRPC/HttpClient diagnostics events), and a settle with nothing in flight while the client holds
/// an open watch, as a standby does.
/// </summary>
[Config(typeof(BenchConfig))]
public class ClientCountingBenchmark
{
    private static readonly PutRequest PutRequest = new() { Key = ByteString.CopyFromUtf8("bench/put"), Value = ByteString.CopyFrom(new byte[64]) };

    private ClientKind _kind = null!;
    private FakeEtcdServer _server = null!;
    private GrpcChannel? _channel;
    private KV.KVClient _kv = null!;
    private AsyncDuplexStreamingCall<WatchRequest, WatchResponse> _watch = null!;

    [Params("fixture", "in-memory", "tcp")]
    public string Client { get; set; } = "fixture";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _kind = ClientKind.Parse(Client);
        _server = await FakeEtcdServer.StartAsync(_kind.ServerOptions());
        _channel = _kind.OpenChannel(_server);
        var invoker = _kind.Invoker(_server, _channel);
        _kv = new KV.KVClient(invoker);
        _watch = new Etcdserverpb.Watch.WatchClient(invoker).Watch();
        await _watch.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFromUtf8("idle") } });
        if (!await _watch.ResponseStream.MoveNext(CancellationToken.None) || !_watch.ResponseStream.Current.Created)
        {
            throw new InvalidOperationException("the watch was not created");
        }

        for (var i = 0; i < 20_000; i++)
        {
            await Put();
            await Settle();
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _watch.Dispose();
        _channel?.Dispose();
        await _server.DisposeAsync();
        _kind.Dispose();
    }

    [Benchmark(Description = "Put")]
    public Task<PutResponse> Put() => _kv.PutAsync(PutRequest).ResponseAsync;

    [Benchmark(Description = "settle, nothing in flight, a watch open")]
    public Task Settle() => _server.Clock.AdvanceAsync(TimeSpan.Zero);
}

using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Etcdserverpb;
using FakeEtcd.Benchmarks.Targets;
using Google.Protobuf;
using Grpc.Core;

namespace FakeEtcd.Benchmarks.Watch;

/// <summary>
/// Put-to-event latency and fan-out: one Put under a prefix that <see cref="Watchers"/> watchers
/// (on one watch stream) observe; the operation ends when every watcher has its event.
/// </summary>
[Config(typeof(BenchConfig))]
public class PutToEventBenchmark
{
    private static readonly ByteString Key = ByteString.CopyFromUtf8("watched/key");
    private static readonly ByteString Value = ByteString.CopyFrom(new byte[64]);
    private readonly Channel<int> _events = Channel.CreateUnbounded<int>();
    private TargetServer _server = null!;
    private AsyncDuplexStreamingCall<WatchRequest, WatchResponse> _watch = null!;
    private Task _reader = Task.CompletedTask;

    [Params(Target.FakeEtcd, Target.FakeEtcdTcp, Target.Etcd)]
    public Target Target { get; set; }

    [Params(1, 100, 1000)]
    public int Watchers { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await TargetServer.StartAsync(Target);
        _watch = _server.Watch.Watch();
        var created = 0;
        var allCreated = new TaskCompletionSource();
        _reader = Task.Run(async () =>
        {
            await foreach (var response in _watch.ResponseStream.ReadAllAsync())
            {
                if (response.Created && ++created == Watchers)
                {
                    allCreated.TrySetResult();
                }

                if (response.Events.Count > 0)
                {
                    _events.Writer.TryWrite(response.Events.Count);
                }
            }
        });
        for (var i = 0; i < Watchers; i++)
        {
            await _watch.RequestStream.WriteAsync(new WatchRequest
            {
                CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFromUtf8("watched/"), RangeEnd = ByteString.CopyFromUtf8("watched0") },
            });
        }

        await allCreated.Task;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _watch.RequestStream.CompleteAsync();
        _watch.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Description = "Put → every watcher has the event")]
    public async Task PutToEvents()
    {
        await _server.Kv.PutAsync(new PutRequest { Key = Key, Value = Value });
        for (var seen = 0; seen < Watchers;)
        {
            seen += await _events.Reader.ReadAsync();
        }
    }
}

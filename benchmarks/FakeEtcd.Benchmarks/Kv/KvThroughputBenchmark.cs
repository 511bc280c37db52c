using BenchmarkDotNet.Attributes;
using Etcdserverpb;
using FakeEtcd.Benchmarks.Targets;
using Google.Protobuf;

namespace FakeEtcd.Benchmarks.Kv;

/// <summary>
/// Put throughput with 1 and 16 concurrent callers on one channel: each invocation makes
/// <see cref="TotalPuts"/> puts split across <see cref="Callers"/> loops, and the reported time is
/// per put, so ops/s = 1 / mean.
/// </summary>
[Config(typeof(BenchConfig))]
public class KvThroughputBenchmark
{
    private const int TotalPuts = 256;
    private static readonly ByteString Value = ByteString.CopyFrom(new byte[64]);
    private TargetServer _server = null!;
    private PutRequest[] _requests = [];

    [Params(Target.FakeEtcd, Target.FakeEtcdTcp, Target.Etcd, Target.EtcdDisk, Target.FloorInMemory, Target.Floor)]
    public Target Target { get; set; }

    [Params(1, 16)]
    public int Callers { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await TargetServer.StartAsync(Target);
        _requests = [.. Enumerable.Range(0, Callers).Select(i => new PutRequest { Key = ByteString.CopyFromUtf8($"bench/caller/{i}"), Value = Value })];
        await KvWarmUp.RunAsync(() => _server.Kv.PutAsync(_requests[0]).ResponseAsync);
    }

    [GlobalCleanup]
    public Task CleanupAsync() => _server.DisposeAsync().AsTask();

    [Benchmark(Description = "Put throughput", OperationsPerInvoke = TotalPuts)]
    public Task Puts() => Task.WhenAll(_requests.Select(async request =>
    {
        for (var i = 0; i < TotalPuts / _requests.Length; i++)
        {
            await _server.Kv.PutAsync(request).ResponseAsync;
        }
    }));
}

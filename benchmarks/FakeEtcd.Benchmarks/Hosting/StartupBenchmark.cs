using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Etcdserverpb;
using FakeEtcd.Benchmarks.Targets;
using Google.Protobuf;

namespace FakeEtcd.Benchmarks.Hosting;

/// <summary>Start → first successful Put → stop, for FakeEtcd in-process and a real etcd process.</summary>
[Config(typeof(BenchConfig))]
[SimpleJob(RunStrategy.Monitoring, warmupCount: 1, iterationCount: 10)]
public class StartupBenchmark
{
    private static readonly PutRequest First = new() { Key = ByteString.CopyFromUtf8("first"), Value = ByteString.CopyFromUtf8("rpc") };

    [Params(Target.FakeEtcd, Target.Etcd)]
    public Target Target { get; set; }

    [Benchmark(Description = "start, first Put, stop")]
    public async Task StartFirstRpcStop()
    {
        await using var server = await TargetServer.StartAsync(Target);
        await server.Kv.PutAsync(First).ResponseAsync;
    }
}

using BenchmarkDotNet.Attributes;
using Etcdserverpb;
using FakeEtcd.Benchmarks.Targets;
using Google.Protobuf;

namespace FakeEtcd.Benchmarks.Kv;

/// <summary>Unary KV latency, one caller: FakeEtcd next to real etcd and the bare gRPC floor.</summary>
[Config(typeof(BenchConfig))]
public class KvLatencyBenchmark
{
    private static readonly ByteString Value = ByteString.CopyFrom(new byte[64]);
    private static readonly PutRequest PutRequest = new() { Key = ByteString.CopyFromUtf8("bench/put"), Value = Value };
    private static readonly RangeRequest RangeOne = new() { Key = ByteString.CopyFromUtf8("prefix/042") };
    private static readonly RangeRequest RangeHundred = new() { Key = ByteString.CopyFromUtf8("prefix/"), RangeEnd = ByteString.CopyFromUtf8("prefix0") };

    // Milvus's CAS shape: if the key's value is what we wrote, write it again (always succeeds: one write).
    private static readonly TxnRequest Cas = new()
    {
        Compare = { new Compare { Key = ByteString.CopyFromUtf8("bench/cas"), Target = Compare.Types.CompareTarget.Value, Result = Compare.Types.CompareResult.Equal, Value = Value } },
        Success = { new RequestOp { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8("bench/cas"), Value = Value } } },
    };

    private TargetServer _server = null!;

    [Params(Target.FakeEtcd, Target.FakeEtcdTcp, Target.Etcd, Target.EtcdDisk, Target.FloorInMemory, Target.Floor)]
    public Target Target { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await TargetServer.StartAsync(Target);
        await KvSeed.PrefixAndCasAsync(_server.Kv, Value);
        await KvWarmUp.RunAsync(Put, RangeSingle, RangePrefix, TxnCas);
    }

    [GlobalCleanup]
    public Task CleanupAsync() => _server.DisposeAsync().AsTask();

    [Benchmark(Description = "Put")]
    public Task<PutResponse> Put() => _server.Kv.PutAsync(PutRequest).ResponseAsync;

    [Benchmark(Description = "Range 1 key")]
    public Task<RangeResponse> RangeSingle() => _server.Kv.RangeAsync(RangeOne).ResponseAsync;

    [Benchmark(Description = "Range 100-key prefix")]
    public Task<RangeResponse> RangePrefix() => _server.Kv.RangeAsync(RangeHundred).ResponseAsync;

    [Benchmark(Description = "Txn CAS")]
    public Task<TxnResponse> TxnCas() => _server.Kv.TxnAsync(Cas).ResponseAsync;
}

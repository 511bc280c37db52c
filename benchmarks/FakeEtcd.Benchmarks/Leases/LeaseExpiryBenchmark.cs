using BenchmarkDotNet.Attributes;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;

namespace FakeEtcd.Benchmarks.Leases;

/// <summary>
/// Wall time of a 60-second lease lifecycle on the virtual clock: grant, attach a key, advance 60 s,
/// key is gone. A fresh server per operation would measure Kestrel start-up, so one server serves
/// every iteration and each iteration uses its own lease and key.
/// </summary>
[Config(typeof(BenchConfig))]
public class LeaseExpiryBenchmark
{
    private FakeEtcdServer _server = null!;
    private EtcdClient _client = null!;
    private int _n;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await FakeEtcdServer.StartAsync();
        _client = new EtcdClient(_server.CreateCallInvoker());
        await _client.PutAsync("warm", "up");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Description = "grant 60s lease, put key, advance 60s, key gone")]
    public async Task GrantPutAdvanceExpire()
    {
        var key = ByteString.CopyFromUtf8("session/" + _n++);
        var lease = await _client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 });
        await _client.PutAsync(new PutRequest { Key = key, Lease = lease.ID });
        await _server.Clock.AdvanceAsync(TimeSpan.FromSeconds(60));
        if ((await _client.GetAsync(new RangeRequest { Key = key, CountOnly = true })).Count != 0)
        {
            throw new InvalidOperationException("the lease did not expire");
        }
    }

    [Benchmark(Description = "advance 60s with nothing due (settle cost)")]
    public Task AdvanceIdle() => _server.Clock.AdvanceAsync(TimeSpan.FromSeconds(60));

    [Benchmark(Description = "Range round trip (reference)")]
    public Task<RangeResponse> RangeRoundTrip() => _client.GetAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("warm") });
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace FakeEtcd.Benchmarks.Leases;

/// <summary>
/// One hour of virtual lease traffic: 100 sessions, each with a 60 s lease and a key, keeping alive
/// every 20 s over their keepalive streams while the virtual clock advances in 20 s steps.
/// </summary>
[Config(typeof(BenchConfig))]
[SimpleJob(RunStrategy.Monitoring, warmupCount: 1, iterationCount: 5)]
public class LeaseHourBenchmark
{
    private const int Sessions = 100;

    [Benchmark(Description = "100 sessions x 1 h of keepalives (virtual time)")]
    public async Task OneVirtualHour()
    {
        await using var server = await FakeEtcdServer.StartAsync();
        var lease = new Lease.LeaseClient(server.CreateCallInvoker());
        var kv = new KV.KVClient(server.CreateCallInvoker());
        var ids = new long[Sessions];
        for (var i = 0; i < Sessions; i++)
        {
            ids[i] = (await lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 })).ID;
            await kv.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8($"session/{i}"), Lease = ids[i] });
        }

        var streams = ids.Select(_ => lease.LeaseKeepAlive()).ToArray();
        for (var elapsed = 0; elapsed < 3600; elapsed += 20)
        {
            await server.Clock.AdvanceAsync(TimeSpan.FromSeconds(20));
            await Task.WhenAll(streams.Select((call, i) => KeepAliveAsync(call, ids[i])));
        }

        foreach (var call in streams)
        {
            await call.RequestStream.CompleteAsync();
            call.Dispose();
        }

        if ((await kv.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("session/"), RangeEnd = ByteString.CopyFromUtf8("session0"), CountOnly = true })).Count != Sessions)
        {
            throw new InvalidOperationException("a session expired");
        }
    }

    private static async Task KeepAliveAsync(AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call, long id)
    {
        await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = id });
        if (!await call.ResponseStream.MoveNext(CancellationToken.None) || call.ResponseStream.Current.TTL != 60)
        {
            throw new InvalidOperationException("keepalive failed");
        }
    }
}

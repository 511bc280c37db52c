using Etcdserverpb;
using Grpc.Core;
using static FakeEtcd.Tests.Differential.Req;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// The Lease service on both servers with FakeEtcd on the wall clock, so remaining TTLs count down
/// the same way: etcd truncates the remaining time, so a fresh 60 s lease reports 59.
/// </summary>
public sealed class LeaseDiffTests : DifferentialTest
{
    protected override DiffOptions Options => new(FakeOnSystemClock: true);

    private Task<Outcomes<LeaseTimeToLiveResponse>> TimeToLive(long id, bool keys = false)
        => Pair.Both(c => c.Lease.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = id, Keys = keys }).ResponseAsync, $"LeaseTimeToLive({id}, keys: {keys})");

    [Fact]
    public async Task TimeToLive_truncates_remaining_time_and_lists_keys()
    {
        await Pair.Grant(0x51, ttl: 60);
        await Pair.Put(Put("only", "1", lease: 0x51));
        await TimeToLive(0x51);
        await TimeToLive(0x51, keys: true);
        await TimeToLive(0x99, keys: true);  // Unknown: TTL -1, success.
        await TimeToLive(0);
    }

    [Fact]
    public async Task Leases_lists_by_soonest_expiry()
    {
        await Pair.Grant(0x61, ttl: 600);
        await Pair.Grant(0x62, ttl: 60);
        await Pair.Grant(0x63, ttl: 300);
        await Pair.Both(c => c.Lease.LeaseLeasesAsync(new LeaseLeasesRequest()).ResponseAsync);
    }

    [Fact]
    public async Task KeepAlive_answers_each_request_in_order_and_ends_on_half_close()
    {
        await Pair.Grant(0x71, ttl: 30);
        await Pair.Put(Put("k", "v", lease: 0x71));
        await Pair.BothSequence(c => KeepAliveAsync(c, 0x71, 0x72, 0x71, 0), "LeaseKeepAlive(0x71, 0x72 unknown, 0x71, 0)");
    }

    [Fact]
    public async Task Lease_expires_in_real_time_on_both()
    {
        await Pair.Grant(0x81, ttl: 2);
        await Pair.Put(Put("expiring", "v", lease: 0x81));
        await Pair.Put(Put("staying", "v"));

        // Real time on both sides: wait (bounded) until each server has revoked the lease.
        await Task.WhenAll(WaitUntilGoneAsync(Pair.Reference), WaitUntilGoneAsync(Pair.Candidate));

        await Pair.Range(All());
        await TimeToLive(0x81);
        await Pair.BothSequence(c => KeepAliveAsync(c, 0x81), "LeaseKeepAlive(expired 0x81)");
        await Pair.Put(Put("again", "v", lease: 0x81));
    }

    /// <summary>Sends the requests, half-closes, and gathers every response until the server ends the call.</summary>
    private static async Task<(IReadOnlyList<LeaseKeepAliveResponse>, string)> KeepAliveAsync(EtcdClients clients, params long[] ids)
    {
        using var call = clients.Lease.LeaseKeepAlive();
        foreach (var id in ids)
        {
            await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = id });
        }

        await call.RequestStream.CompleteAsync();
        var responses = new List<LeaseKeepAliveResponse>();
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            responses.Add(response);
        }

        return (responses, call.GetStatus().StatusCode.ToString());
    }

    private static async Task WaitUntilGoneAsync(EtcdClients clients)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (10 * TimeProvider.System.TimestampFrequency);
        while ((await clients.Kv.RangeAsync(Range("expiring")).ResponseAsync).Count != 0)
        {
            Assert.True(TimeProvider.System.GetTimestamp() < deadline, $"{clients.Endpoint.Name} did not expire a 2 s lease within 10 s");
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }
    }
}

using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using FakeEtcd.Leases;
using FakeEtcd.Mvcc;
using Grpc.Core;
using static FakeEtcd.Tests.Support.EtcdAssert;
using static FakeEtcd.Tests.Support.Requests;

namespace FakeEtcd.Tests.Leases;

/// <summary>Lease semantics on the apply path with a virtual clock (etcd-semantics §6).</summary>
public sealed class LeaseExpiryTests : IDisposable
{
    private readonly VirtualClock _clock = new();
    private readonly Applier _etcd;
    private readonly List<CommittedRevision> _committed = [];

    public LeaseExpiryTests()
    {
        _etcd = new Applier(new EtcdLimits(), _clock, new LeaseOptions(), memberId: 0x8e9e05c52164694d);
        _etcd.Committed += _committed.Add;
    }

    public void Dispose() => _etcd.Dispose();

    private long Grant(long ttl, long id = 0) => _etcd.LeaseGrant(new LeaseGrantRequest { TTL = ttl, ID = id }).ID;

    private Task Advance(double seconds) => _clock.AdvanceAsync(TimeSpan.FromSeconds(seconds), TestContext.Current.CancellationToken);

    [Fact]
    public async Task SixtySecondLeaseIsAliveJustBeforeItsDeadlineAndGoneAtIt()
    {
        var lease = Grant(60);
        _etcd.Put(Put("active", "me", lease)); // 2

        await Advance(59.999);
        Assert.Single(_etcd.Range(Get("active")).Kvs);
        Assert.Equal(0, _etcd.LeaseTimeToLive(new LeaseTimeToLiveRequest { ID = lease }).TTL);

        await Advance(0.001);
        Assert.Empty(_etcd.Range(Get("active")).Kvs);
        Assert.Equal(3, _etcd.CurrentRevision);
        Assert.Equal(-1, _etcd.LeaseTimeToLive(new LeaseTimeToLiveRequest { ID = lease }).TTL);
        Assert.Equal(0, _etcd.LeaseRenew(lease));
    }

    [Fact]
    public async Task KeepAliveMovesTheDeadline()
    {
        var lease = Grant(60);
        _etcd.Put(Put("k", "v", lease));
        await Advance(30);

        Assert.Equal(60, _etcd.LeaseRenew(lease));
        await Advance(59.9);
        Assert.Single(_etcd.Range(Get("k")).Kvs);
        await Advance(0.1);
        Assert.Empty(_etcd.Range(Get("k")).Kvs);
        Assert.Equal(TimeSpan.FromSeconds(90), _clock.Elapsed);
    }

    [Fact]
    public async Task ExpiryAndRevokeHaveTheSameEffect()
    {
        var expiring = Grant(10);
        var revoked = Grant(10);
        foreach (var key in new[] { "e2", "e1" })
        {
            _etcd.Put(Put(key, "x", expiring));
        }

        foreach (var key in new[] { "r2", "r1" })
        {
            _etcd.Put(Put(key, "x", revoked));
        }

        var revokeResponse = _etcd.LeaseRevoke(new LeaseRevokeRequest { ID = revoked });
        await Advance(10);

        Assert.Equal(6, revokeResponse.Header.Revision);
        var byRevoke = _committed.Single(c => c.Revision == 6);
        var byExpiry = _committed.Single(c => c.Revision == 7);
        Assert.Equal(["DELETE r1 6", "DELETE r2 6"], Describe(byRevoke));
        Assert.Equal(["DELETE e1 7", "DELETE e2 7"], Describe(byExpiry));
        Assert.Equal(Kv("e1", "x", 3, 3, 1, expiring), byExpiry.Events[0].PrevKv);
        Assert.Empty(_etcd.LeaseLeases().Leases);
    }

    [Fact]
    public async Task ManyLeasesExpireInDeadlineThenIdOrderOneRevisionEach()
    {
        var ids = new[] { Grant(5, id: 30), Grant(5, id: 10), Grant(3, id: 20), Grant(4, id: 40) };
        foreach (var id in ids)
        {
            _etcd.Put(Put($"k{id}", "x", id));
        }

        await Advance(100);

        Assert.Equal(["DELETE k20 6", "DELETE k40 7", "DELETE k10 8", "DELETE k30 9"], _committed.Skip(4).SelectMany(Describe));
    }

    [Fact]
    public void LeaseWithoutKeysExpiresWithoutARevision()
    {
        var lease = Grant(5);
        _etcd.LeaseRevoke(new LeaseRevokeRequest { ID = lease });

        Assert.Equal(1, _etcd.CurrentRevision);
    }

    [Fact]
    public void GrantRules()
    {
        var auto = _etcd.LeaseGrant(new LeaseGrantRequest { TTL = 0 });
        Assert.Equal(2, auto.TTL);
        Assert.Equal(0x694dL, auto.ID >> 48);
        Assert.True(auto.ID > 0);
        Assert.Equal(2, _etcd.LeaseGrant(new LeaseGrantRequest { TTL = -5 }).TTL);
        Assert.Equal((-7L, 30L), (_etcd.LeaseGrant(new LeaseGrantRequest { ID = -7, TTL = 30 }) is var neg ? (neg.ID, neg.TTL) : default));
        Fails(StatusCode.FailedPrecondition, "etcdserver: lease already exists", () => _etcd.LeaseGrant(new LeaseGrantRequest { ID = -7, TTL = 30 }));
        Fails(StatusCode.OutOfRange, "etcdserver: too large lease TTL", () => _etcd.LeaseGrant(new LeaseGrantRequest { TTL = 9_000_000_001 }));
        Assert.Equal(9_000_000_000, _etcd.LeaseGrant(new LeaseGrantRequest { TTL = 9_000_000_000 }).TTL);
    }

    [Fact]
    public async Task TimeToLiveReportsTruncatedRemainingGrantedTtlAndSortedKeys()
    {
        var lease = Grant(10);
        _etcd.Put(Put("b", "1", lease));
        _etcd.Put(Put("a", "1", lease));
        await Advance(2.5);

        var ttl = _etcd.LeaseTimeToLive(new LeaseTimeToLiveRequest { ID = lease, Keys = true });

        Assert.Equal((7L, 10L), (ttl.TTL, ttl.GrantedTTL));
        Assert.Equal(["a", "b"], ttl.Keys.Select(S));
        Assert.Empty(_etcd.LeaseTimeToLive(new LeaseTimeToLiveRequest { ID = lease }).Keys);
        var unknown = _etcd.LeaseTimeToLive(new LeaseTimeToLiveRequest { ID = 99, Keys = true });
        Assert.Equal((99L, -1L, 0L, 0), (unknown.ID, unknown.TTL, unknown.GrantedTTL, unknown.Keys.Count));
    }

    [Fact]
    public void RePutMovesAKeyBetweenLeasesAndAPutWithoutLeaseDetaches()
    {
        var first = Grant(10);
        var second = Grant(20);
        _etcd.Put(Put("k", "1", first));
        _etcd.Put(Put("k", "2", second));
        Assert.Empty(_etcd.LeaseTimeToLive(new LeaseTimeToLiveRequest { ID = first, Keys = true }).Keys);
        Assert.Equal(["k"], _etcd.LeaseTimeToLive(new LeaseTimeToLiveRequest { ID = second, Keys = true }).Keys.Select(S));

        _etcd.Put(new PutRequest { Key = B("k"), Value = B("3"), IgnoreLease = true });
        Assert.Equal(second, _etcd.Range(Get("k")).Kvs[0].Lease);

        _etcd.Put(Put("k", "4"));
        Assert.Empty(_etcd.LeaseTimeToLive(new LeaseTimeToLiveRequest { ID = second, Keys = true }).Keys);
        Assert.Equal(0, _etcd.Range(Get("k")).Kvs[0].Lease);
    }

    [Fact]
    public async Task DeletedKeyIsDetachedAndLeasesListBySoonestExpiry()
    {
        var late = Grant(50, id: 1);
        var soon = Grant(5, id: 2);
        _etcd.Put(Put("k", "v", late));
        _etcd.DeleteRange(Delete("k"));

        Assert.Equal([soon, late], _etcd.LeaseLeases().Leases.Select(l => l.ID));
        Assert.Empty(_etcd.LeaseTimeToLive(new LeaseTimeToLiveRequest { ID = late, Keys = true }).Keys);
        await Advance(50);
        Assert.Equal(3, _etcd.CurrentRevision);
    }

    [Fact]
    public async Task AnHourOfLeaseTrafficRunsInVirtualTime()
    {
        var leases = Enumerable.Range(1, 100).Select(i => Grant(60, id: i)).ToList();
        foreach (var id in leases)
        {
            _etcd.Put(Put($"session/{id}", "alive", id));
        }

        for (var second = 20; second <= 3600; second += 20)
        {
            await Advance(20);
            foreach (var id in leases)
            {
                Assert.Equal(60, _etcd.LeaseRenew(id));
            }
        }

        Assert.Equal(TimeSpan.FromHours(1), _clock.Elapsed);
        Assert.Equal(100, _etcd.Range(Get("session/", "session0")).Count);
        await Advance(60);
        Assert.Equal(0, _etcd.Range(Get("session/", "session0")).Count);
    }

    private static IEnumerable<string> Describe(CommittedRevision committed) =>
        committed.Events.Select(e => $"{e.Type.ToString().ToUpperInvariant()} {S(e.Kv.Key)} {e.Kv.ModRevision}");
}

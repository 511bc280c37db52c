using Etcdserverpb;
using static FakeEtcd.Tests.Differential.Req;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// Leases as the KV store sees them: attach, detach, revoke. Faithful etcd settings (no fast
/// election), because the granted TTL shows etcd's minimum-TTL clamp. No remaining-TTL values are
/// compared: etcd's count down in wall time, FakeEtcd's follow its virtual clock.
/// </summary>
public sealed class LeaseKvDiffTests : DifferentialTest
{
    private Task<Outcomes<LeaseRevokeResponse>> Revoke(long id)
        => Pair.Both(c => c.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = id }).ResponseAsync, $"LeaseRevoke({id})");

    [Fact]
    public async Task Grant_clamps_small_ttls_and_generates_ids()
    {
        await Pair.Grant(0, ttl: 1);     // Server-chosen ID (masked to an ordinal); TTL raised to the minimum.
        await Pair.Grant(0, ttl: 0);
        await Pair.Grant(0, ttl: -5);
        await Pair.Grant(0x42, ttl: 60);
        await Pair.Grant(0x42, ttl: 60); // Already exists.
        await Pair.Grant(0x43, ttl: 9_000_000_001);
        await Pair.Range(All());
    }

    [Fact]
    public async Task Revoke_deletes_attached_keys_in_one_revision()
    {
        await Pair.Grant(0x10);
        await Pair.Grant(0x20);
        await Pair.Put(Put("b", "1", lease: 0x10));
        await Pair.Put(Put("a", "1", lease: 0x10));
        await Pair.Put(Put("c", "1", lease: 0x20));
        await Pair.Put(Put("c", "2"));               // Detached from 0x20 by a put without lease.
        await Pair.Txn(Txn(success: [Op(Put("d", "1", lease: 0x10)), Op(Put("e", "1", lease: 0x20))]));
        await Revoke(0x10);                          // a, b, d at one revision.
        await Pair.Range(All());
        await Revoke(0x20);                          // e only.
        await Revoke(0x20);                          // Unknown now.
        await Pair.Put(Put("f", "1", lease: 0x10));  // Revoked lease: not found.
        await Pair.Range(All());
        await Pair.Both(c => c.Lease.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = 0x10, Keys = true }).ResponseAsync);
    }

    [Fact]
    public async Task Revoke_of_a_lease_without_keys_keeps_the_revision()
    {
        await Pair.Put("x", "1");
        await Pair.Grant(0x30);
        await Revoke(0x30);
        await Pair.Range(All());
    }
}

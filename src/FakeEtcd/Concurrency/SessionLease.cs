using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;

namespace FakeEtcd.Concurrency;

/// <summary>
/// concurrency.NewSession as etcd's servers use it: the given lease, or for lease 0 a new lease with
/// the default 60 s TTL. The servers orphan the session at once, so nothing keeps that lease alive.
/// </summary>
internal static class SessionLease
{
    public const long DefaultTtlSeconds = 60;

    public static long Resolve(Applier applier, long lease) =>
        lease != 0 ? lease : applier.LeaseGrant(new LeaseGrantRequest { TTL = DefaultTtlSeconds }).ID;
}

namespace FakeEtcd.Leases;

/// <summary>GrantedLease TTL rules with etcd's defaults.</summary>
internal sealed record LeaseOptions(long MinTtlSeconds = 2)
{
    /// <summary>etcd's MaxLeaseTTL: a grant above it fails with "too large lease TTL".</summary>
    public const long MaxTtlSeconds = 9_000_000_000;
}

using FakeEtcd.Mvcc;
using Google.Protobuf;

namespace FakeEtcd.Leases;

/// <summary>
/// The lease table and its expiry queue, ordered by (deadline, id) so leases that expire together
/// are revoked in a fixed order. Pure bookkeeping: deleting a lease's keys is the apply path's job.
/// Not thread-safe: the apply path serialises access.
/// </summary>
internal sealed class Lessor(TimeProvider clock, LeaseOptions options, LeaseIdGenerator ids) : ILeaseAttachments
{
    private static readonly IComparer<GrantedLease> ExpiryOrder = Comparer<GrantedLease>.Create((a, b) =>
    {
        var byDeadline = a.Deadline.CompareTo(b.Deadline);
        return byDeadline != 0 ? byDeadline : a.Id.CompareTo(b.Id);
    });

    private readonly Dictionary<long, GrantedLease> _leases = [];
    private readonly SortedSet<GrantedLease> _expiry = new(ExpiryOrder);

    public TimeProvider Clock => clock;

    /// <summary>The lease that expires first, if any.</summary>
    public GrantedLease? Earliest => _expiry.Min;

    /// <summary>Every lease, soonest expiry first (etcd's LeaseLeases order).</summary>
    public IEnumerable<GrantedLease> ByExpiry => _expiry;

    public bool Exists(long leaseId) => _leases.ContainsKey(leaseId);

    public GrantedLease? Find(long leaseId) => _leases.GetValueOrDefault(leaseId);

    /// <summary>Grants a lease (id 0 picks one); the caller has checked the TTL and id rules.</summary>
    public GrantedLease Grant(long id, long requestedTtl)
    {
        if (id == 0)
        {
            do
            {
                id = ids.Next();
            }
            while (_leases.ContainsKey(id));
        }

        var lease = new GrantedLease(id, Math.Max(requestedTtl, options.MinTtlSeconds));
        _leases.Add(id, lease);
        Refresh(lease);
        return lease;
    }

    /// <summary>Restarts the lease's TTL from now (a keepalive), plus <paramref name="extend"/> (a leader's promote).</summary>
    public void Refresh(GrantedLease lease, TimeSpan extend = default)
    {
        _expiry.Remove(lease);
        lease.Deadline = clock.GetUtcNow() + extend + TimeSpan.FromSeconds(lease.TtlSeconds);
        _expiry.Add(lease);
    }

    public void Remove(GrantedLease lease)
    {
        _expiry.Remove(lease);
        _leases.Remove(lease.Id);
    }

    public TimeSpan Remaining(GrantedLease lease) => lease.Deadline - clock.GetUtcNow();

    public bool IsExpired(GrantedLease lease) => Remaining(lease) <= TimeSpan.Zero;

    public void Attach(long leaseId, ByteString key) => _leases[leaseId].Keys.Add(key);

    public void Detach(long leaseId, ByteString key)
    {
        if (_leases.TryGetValue(leaseId, out var lease))
        {
            lease.Keys.Remove(key);
        }
    }
}

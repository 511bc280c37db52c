using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Errors;
using FakeEtcd.Leases;
using FakeEtcd.Mvcc;

namespace FakeEtcd.Apply;

/// <summary>The lease half of the apply path: grant, revoke (also by expiry), renew and queries.</summary>
internal sealed partial class Applier
{
    public LeaseGrantResponse LeaseGrant(LeaseGrantRequest request)
    {
        _raftSize.Check(request);
        lock (_gate)
        {
            _raftIndex++;
            CheckAlarmsLocked(QuotaCost.LeaseGrant); // Before the lessor's checks, as etcd's quota and capped applier.
            if (request.TTL > LeaseOptions.MaxTtlSeconds)
            {
                throw EtcdErrors.LeaseTtlTooLarge();
            }

            if (request.ID != 0 && _leases.Exists(request.ID))
            {
                throw EtcdErrors.LeaseExists();
            }

            var lease = _leases.Grant(request.ID, request.TTL);
            RescheduleExpiry();
            return new LeaseGrantResponse
            {
                Header = new ResponseHeader { Revision = _store.CurrentRevision },
                ID = lease.Id,
                TTL = lease.TtlSeconds,
            };
        }
    }

    public LeaseRevokeResponse LeaseRevoke(LeaseRevokeRequest request)
    {
        _raftSize.Check(request);
        lock (_gate)
        {
            _raftIndex++;
            CheckAlarmsLocked(quotaCost: 0);
            var lease = _leases.Find(request.ID) ?? throw EtcdErrors.LeaseNotFound();
            Revoke(lease, expired: false);
            RescheduleExpiry();
            return new LeaseRevokeResponse { Header = new ResponseHeader { Revision = _store.CurrentRevision } };
        }
    }

    /// <summary>A keepalive: restarts the lease's TTL and returns it, or 0 for an unknown or expired lease.</summary>
    public long LeaseRenew(long leaseId)
    {
        lock (_gate)
        {
            // etcd answers a keepalive for an expired lease only after revoking it, so revoke now.
            ExpireDueLeasesLocked();
            if (_leases.Find(leaseId) is not { } lease)
            {
                return 0;
            }

            _leases.Refresh(lease);
            RescheduleExpiry();
            return lease.TtlSeconds;
        }
    }

    public LeaseTimeToLiveResponse LeaseTimeToLive(LeaseTimeToLiveRequest request)
    {
        lock (_gate)
        {
            var response = new LeaseTimeToLiveResponse { Header = new ResponseHeader { Revision = _store.CurrentRevision }, ID = request.ID };
            if (_leases.Find(request.ID) is not { } lease)
            {
                response.TTL = -1;
                return response;
            }

            // etcd truncates the remaining time to whole seconds.
            response.TTL = (long)_leases.Remaining(lease).TotalSeconds;
            response.GrantedTTL = lease.TtlSeconds;
            if (request.Keys)
            {
                response.Keys.AddRange(lease.Keys);
            }

            return response;
        }
    }

    public LeaseLeasesResponse LeaseLeases()
    {
        lock (_gate)
        {
            var response = new LeaseLeasesResponse { Header = new ResponseHeader { Revision = _store.CurrentRevision } };
            response.Leases.AddRange(_leases.ByExpiry.Select(l => new LeaseStatus { ID = l.Id }));
            return response;
        }
    }

    /// <summary>Revokes every lease whose deadline has passed, soonest first, each as its own revision.</summary>
    private void ExpireDueLeases()
    {
        lock (_gate)
        {
            ExpireDueLeasesLocked();
            RescheduleExpiry();
        }
    }

    private void ExpireDueLeasesLocked()
    {
        while (_leases.Earliest is { } lease && _leases.IsExpired(lease))
        {
            _raftIndex++;

            // The server's own work, also when a keepalive that arrives at the deadline finds the lease due first.
            CallAttribution.AsServer(() => Revoke(lease, expired: true));
        }
    }

    /// <summary>Deletes the lease's keys in one write transaction (in key order), then forgets the lease.</summary>
    private void Revoke(GrantedLease lease, bool expired)
    {
        var keys = lease.Keys.ToList();
        Write(txn =>
        {
            foreach (var key in keys)
            {
                txn.DeleteRange(KeyRange.Single(key));
            }
        });
        _leases.Remove(lease);
        LeaseEnded?.Invoke(lease.Id, expired);
    }

    /// <summary>
    /// A new leader's lessor Promote: every lease's deadline becomes now + <paramref name="extend"/> + TTL,
    /// so no lease expires because keepalives could not reach a leader during the election.
    /// </summary>
    public void PromoteLeases(TimeSpan extend)
    {
        lock (_gate)
        {
            foreach (var lease in _leases.ByExpiry.ToList())
            {
                _leases.Refresh(lease, extend);
            }

            RescheduleExpiry();
        }
    }

    private void RescheduleExpiry() => _expiry.Schedule(_leases.Earliest?.Deadline);
}

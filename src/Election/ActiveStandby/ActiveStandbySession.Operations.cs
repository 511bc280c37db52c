using Election.Etcd;
using EtcdProtocol.Etcdserverpb;
using Grpc.Core;

namespace Election;

/// <content>Operator actions of Milvus's session: <c>GoingStop</c> and <c>ForceActiveStandby</c>.</content>
public sealed partial class ActiveStandbySession
{
    /// <summary>
    /// Marks the session as stopping before a rolling upgrade (Milvus <c>GoingStop</c>): its key (the ACTIVE
    /// key once active, else the per-server key) is rewritten with <c>"Stopping": true</c> on the same lease,
    /// without a compare. Discovery watchers see an update; a standby wakes, its CAS fails and it watches
    /// again. The session keeps its role until it is stopped.
    /// </summary>
    public async Task GoingStopAsync(CancellationToken cancellationToken = default)
    {
        var key = State == SessionState.Active ? ActiveKey : ServerKey;
        await _etcd.Kv.PutAsync(
            new PutRequest { Key = Keys.Bytes(key), Value = SessionValue.Encode(ServerId, _options, exclusive: true, LeaseId, stopping: true), Lease = LeaseId },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        SessionLog.GoingStop(_logger, key, ServerName, ServerId);
    }

    /// <summary>
    /// Takes the role from an active that holds it but no longer works (Milvus <c>ForceActiveStandby</c>):
    /// revokes the lease under the ACTIVE key, so the old active's keys vanish and it learns it lost them,
    /// then races for the key as <see cref="ProcessActiveStandbyAsync"/> does and runs
    /// <paramref name="activate"/> once it holds it.
    /// </summary>
    /// <remarks>Use it only on an active known to be stuck: a healthy one is ended by it, mid-work.</remarks>
    public async Task ForceActiveStandbyAsync(Func<CancellationToken, Task> activate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activate);
        var current = await _etcd.Kv.RangeAsync(new RangeRequest { Key = Keys.Bytes(ActiveKey) }, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (Keys.Single(current) is { } holder && holder.Lease != LeaseId)
        {
            SessionLog.ForceActive(_logger, ServerName, holder.Lease);
            if (holder.Lease == 0)
            {
                // A key without a lease (written by hand): only that exact version goes.
                await _etcd.Kv.TxnAsync(
                    new TxnRequest
                    {
                        Compare = { new Compare { Key = holder.Key, Target = Compare.Types.CompareTarget.Mod, ModRevision = holder.ModRevision } },
                        Success = { Keys.Delete(ActiveKey) },
                    },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                try
                {
                    await _etcd.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = holder.Lease }, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (RpcException e) when (EtcdErrors.IsLeaseNotFound(e))
                {
                    // It expired meanwhile: the key is gone already.
                }
            }
        }

        await ProcessActiveStandbyAsync(activate, cancellationToken).ConfigureAwait(false);
    }
}

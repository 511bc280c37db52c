using Election.Etcd;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Election;

/// <summary>
/// A lease kept alive for elections and mutexes, as Go's <c>concurrency.Session</c>: default TTL
/// 60 s, keepalive every TTL/3 on the <see cref="TimeProvider"/>; <see cref="Done"/> is cancelled when
/// the lease is lost; <see cref="CloseAsync"/> revokes it.
/// </summary>
public sealed class Session : IAsyncDisposable
{
    private readonly LeaseKeeper _lease;

    private Session(EtcdApi etcd, LeaseKeeper lease, TimeProvider time)
    {
        Etcd = etcd;
        _lease = lease;
        TimeProvider = time;
    }

    /// <summary>The lease id; candidate and lock keys are <c>&lt;prefix&gt;/&lt;lease id in lowercase hex&gt;</c>.</summary>
    public long LeaseId => _lease.LeaseId;

    /// <summary>The TTL etcd granted.</summary>
    public TimeSpan Ttl => _lease.Ttl;

    /// <summary>Cancelled when the lease is lost (Go's <c>Session.Done()</c>).</summary>
    public CancellationToken Done => _lease.LostToken;

    /// <summary>Why the lease was lost, or <see cref="SessionLossReason.None"/>.</summary>
    public SessionLossReason LossReason => _lease.LossReason;

    /// <summary>The session's clock.</summary>
    public TimeProvider TimeProvider { get; }

    internal EtcdApi Etcd { get; }

    /// <summary>Grants a lease and starts keeping it alive.</summary>
    public static async Task<Session> CreateAsync(
        CallInvoker etcd, TimeSpan? ttl = null, TimeProvider? timeProvider = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(etcd);
        var api = new EtcdApi(etcd);
        var time = timeProvider ?? TimeProvider.System;
        var lease = await LeaseKeeper.GrantAsync(api, ttl ?? TimeSpan.FromSeconds(60), time, logger ?? NullLogger.Instance, cancellationToken)
            .ConfigureAwait(false);
        return new Session(api, lease, time);
    }

    /// <summary>Stops the keepalives without revoking (Go's <c>Orphan</c>): the lease expires after its TTL.</summary>
    public Task OrphanAsync() => _lease.StopAsync(revoke: false);

    /// <summary>Stops the keepalives and revokes the lease, deleting every key on it (Go's <c>Close</c>).</summary>
    public Task CloseAsync() => _lease.StopAsync(revoke: true);

    /// <summary>Same as <see cref="CloseAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);
}

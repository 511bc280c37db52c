using EtcdProtocol.Etcdserverpb;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Election.Etcd;

/// <summary>
/// A granted lease kept alive over a bidi LeaseKeepAlive stream, every TTL/3 of the
/// <see cref="TimeProvider"/>. It is lost when etcd answers TTL 0 (the lease is gone) or when no
/// answer arrives before the deadline, which is measured from the send time of the last answered
/// request: etcd renewed the lease no earlier than that, so it cannot expire before
/// <c>sentAt + TTL</c> and the holder learns of the loss no later than etcd acts on it.
/// </summary>
internal sealed partial class LeaseKeeper : IAsyncDisposable
{
    /// <summary>Delay before reopening a broken keepalive stream (the Go client checks every 500 ms).</summary>
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);

    private readonly EtcdApi _etcd;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _origin;
    private readonly Lock _gate = new();
    private readonly Queue<TimeSpan> _unanswered = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();

    /// <summary>Completes once the one revoke has been answered or given up, so every stop that asked for it waits for it.</summary>
    private readonly TaskCompletionSource _revokeEnded = new();
    private readonly ITimer _deadlineTimer;
    private AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse>? _call;
    private TimeSpan _deadline;
    private Task _sendLoop = Task.CompletedTask;
    private int _lossReason;
    private int _revoked;

    private LeaseKeeper(EtcdApi etcd, TimeProvider time, ILogger logger, long origin, long leaseId, TimeSpan ttl)
    {
        _etcd = etcd;
        _time = time;
        _logger = logger;
        _origin = origin;
        LeaseId = leaseId;
        Ttl = ttl;
        _deadline = ttl; // Granted no earlier than the origin.
        _deadlineTimer = time.CreateTimer(static s => ((LeaseKeeper)s!).OnDeadline(), this, ttl, Timeout.InfiniteTimeSpan);
    }

    public long LeaseId { get; }

    /// <summary>The TTL etcd granted (it raises TTLs below its minimum).</summary>
    public TimeSpan Ttl { get; }

    /// <summary>Cancelled once when the lease is lost (not when it is stopped on purpose).</summary>
    public CancellationToken LostToken => _lost.Token;

    public SessionLossReason LossReason => (SessionLossReason)Volatile.Read(ref _lossReason);

    /// <summary>Grants a lease and starts keeping it alive.</summary>
    public static async Task<LeaseKeeper> GrantAsync(
        EtcdApi etcd, TimeSpan ttl, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var origin = time.GetTimestamp();
        var seconds = (long)Math.Ceiling(ttl.TotalSeconds);
        var granted = await etcd.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = seconds }, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var keeper = new LeaseKeeper(etcd, time, logger, origin, granted.ID, TimeSpan.FromSeconds(granted.TTL));
        keeper._sendLoop = keeper.SendLoopAsync();
        return keeper;
    }

    /// <summary>
    /// Stops the keepalives; with <paramref name="revoke"/>, revokes the lease so its keys vanish now.
    /// The revoke goes out first, before the keepalives are cancelled and the send loop winds down:
    /// a standby's takeover waits on it, the teardown does not. It is given up after
    /// <paramref name="revokeTimeout"/> of the TimeProvider, counted from this call (default: the TTL,
    /// as Go's concurrency.Session.Close): with etcd unreachable, the lease expires on its own and
    /// stopping must not hang.
    /// </summary>
    public async Task StopAsync(bool revoke, TimeSpan? revokeTimeout = null)
    {
        // Marked revoked before the revoke is sent, so a keepalive answered "not found" from now on is our own doing, not a loss.
        var revoking = !revoke || LossReason is SessionLossReason.LeaseNotFound
            ? Task.CompletedTask
            : Interlocked.Exchange(ref _revoked, 1) == 0 ? RevokeAsync(revokeTimeout ?? Ttl) : _revokeEnded.Task;
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        _deadlineTimer.Dispose();
        DropStream(null);
        await _sendLoop.ConfigureAwait(false);
        await revoking.ConfigureAwait(false);
    }

    private async Task RevokeAsync(TimeSpan timeout)
    {
        // Created before the first await: the time limit starts when the caller asked to stop.
        using var giveUp = new CancellationTokenSource(timeout, _time);
        try
        {
            await _etcd.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = LeaseId }, cancellationToken: giveUp.Token).ConfigureAwait(false);
            LogRevoked(_logger, LeaseId);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException)
        {
            // Best effort, like Milvus's Stop: a lease we cannot revoke expires on its own.
            LogRevokeFailed(_logger, LeaseId, giveUp.IsCancellationRequested ? $"no answer within {timeout}" : e is RpcException rpc ? rpc.Status.Detail : e.Message);
        }
        finally
        {
            _revokeEnded.TrySetResult();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync(revoke: false));

    /// <summary>Marks the lease lost (also used by owners that learn it from another answer, e.g. a Txn).</summary>
    public void MarkLost(SessionLossReason reason)
    {
        // Once we revoked it ourselves, a keepalive answered "not found" is our own doing, not a loss.
        if (Volatile.Read(ref _revoked) == 1)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lossReason, (int)reason, 0) != 0)
        {
            return;
        }

        LogLost(_logger, LeaseId, reason);
        _deadlineTimer.Dispose();
        _stop.Cancel();
        DropStream(null);
        _lost.Cancel();
    }

    private TimeSpan Now => _time.GetElapsedTime(_origin);

    private async Task SendLoopAsync()
    {
        var interval = Ttl / 3;
        var next = interval;
        while (!_stop.IsCancellationRequested)
        {
            var wait = next - Now;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _time, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            var sentAt = Now;
            next = await TrySendAsync(sentAt).ConfigureAwait(false) ? sentAt + interval : sentAt + RetryInterval;
        }
    }

    private async Task<bool> TrySendAsync(TimeSpan sentAt)
    {
        AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse>? call = null;
        try
        {
            lock (_gate)
            {
                if (_stop.IsCancellationRequested)
                {
                    return false;
                }

                if (_call is null)
                {
                    _call = _etcd.Lease.LeaseKeepAlive(cancellationToken: _stop.Token);
                    _unanswered.Clear();
                    _ = ReceiveLoopAsync(_call);
                }

                call = _call;
                _unanswered.Enqueue(sentAt);
            }

            await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = LeaseId }, _stop.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A write racing our own dispose of the stream (stop, or a broken stream dropped by the
            // receive loop) can fail with whatever grpc throws from a disposed call, a NullReferenceException included;
            // any failed send is retried on a fresh stream, so none may end the loop.
            if (!_stop.IsCancellationRequested)
            {
                LogKeepAliveFailed(_logger, LeaseId, e.Message);
            }

            DropStream(call);
            return false;
        }
    }

    private async Task ReceiveLoopAsync(AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call)
    {
        try
        {
            while (await call.ResponseStream.MoveNext(_stop.Token).ConfigureAwait(false))
            {
                var response = call.ResponseStream.Current;
                TimeSpan sentAt;
                lock (_gate)
                {
                    sentAt = _unanswered.Count > 0 ? _unanswered.Dequeue() : Now;
                }

                if (response.TTL <= 0)
                {
                    MarkLost(SessionLossReason.LeaseNotFound);
                    return;
                }

                ExtendDeadline(sentAt + TimeSpan.FromSeconds(response.TTL));
            }
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            if (!_stop.IsCancellationRequested)
            {
                LogKeepAliveFailed(_logger, LeaseId, e.Message);
            }
        }

        DropStream(call);
    }

    private void ExtendDeadline(TimeSpan deadline)
    {
        lock (_gate)
        {
            if (deadline <= _deadline || _stop.IsCancellationRequested)
            {
                return;
            }

            _deadline = deadline;
            var due = deadline - Now;
            _deadlineTimer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnDeadline()
    {
        TimeSpan remaining;
        lock (_gate)
        {
            remaining = _deadline - Now;
            if (remaining > TimeSpan.Zero)
            {
                // Extended after this firing was scheduled.
                _deadlineTimer.Change(remaining, Timeout.InfiniteTimeSpan);
                return;
            }
        }

        MarkLost(SessionLossReason.KeepAliveTimeout);
    }

    /// <summary>Forgets the current stream (or only <paramref name="which"/>, if it is still current); the next send opens a new one.</summary>
    private void DropStream(AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse>? which)
    {
        AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse>? dropped;
        lock (_gate)
        {
            if (_call is null || (which is not null && !ReferenceEquals(_call, which)))
            {
                return;
            }

            (dropped, _call) = (_call, null);
            _unanswered.Clear();
        }

        dropped.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "lease {LeaseId:x} lost: {Reason}")]
    private static partial void LogLost(ILogger logger, long leaseId, SessionLossReason reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "keepalive of lease {LeaseId:x} failed, retrying: {Error}")]
    private static partial void LogKeepAliveFailed(ILogger logger, long leaseId, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "lease {LeaseId:x} revoked")]
    private static partial void LogRevoked(ILogger logger, long leaseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "failed to revoke lease {LeaseId:x}: {Error}")]
    private static partial void LogRevokeFailed(ILogger logger, long leaseId, string error);
}

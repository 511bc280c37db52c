using Election.Etcd;
using EtcdProtocol.Mvccpb;

namespace Election;

/// <content>The active's liveness check on its own ACTIVE key (Milvus <c>LivenessCheck</c>).</content>
public sealed partial class ActiveStandbySession
{
    /// <summary>
    /// While active, watches the ACTIVE key from the activation revision on: a DELETE that is not our
    /// own revoke (an operator, a tool) ends the session as Lost and revokes the lease, so the
    /// per-server key goes too. Compaction and watch errors re-check the key and re-watch rather than
    /// giving up.
    /// </summary>
    private async Task WatchActiveKeyAsync(long epoch, CancellationToken cancellationToken)
    {
        var from = epoch + 1;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    using var watch = await WatchCall.StartAsync(_etcd, ActiveKey, from, cancellationToken).ConfigureAwait(false);
                    while (await watch.NextAsync().ConfigureAwait(false) is { } response)
                    {
                        if (response.Events.Any(e => e.Type == Event.Types.EventType.Delete))
                        {
                            await LoseActiveKeyAsync(cancellationToken).ConfigureAwait(false);
                            return;
                        }

                        if (response.Canceled)
                        {
                            break;
                        }

                        from = Math.Max(from, response.Header.Revision + 1);
                    }

                    from = await RecheckActiveKeyAsync(epoch, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (CallFailure.IsRetryable(e, cancellationToken))
                {
                    SessionLog.LivenessWatchFailed(_logger, ActiveKey, e.Message);
                    await Task.Delay(_options.RetryInterval, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The session ended.
        }
    }

    /// <summary>After a broken watch: the revision to re-watch from, or a loss if the key is no longer ours.</summary>
    private async Task<long> RecheckActiveKeyAsync(long epoch, CancellationToken cancellationToken)
    {
        var current = await _etcd.Kv.RangeAsync(new() { Key = Keys.Bytes(ActiveKey) }, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (Keys.Single(current) is not { } kv || kv.CreateRevision != epoch)
        {
            await LoseActiveKeyAsync(cancellationToken).ConfigureAwait(false);
        }

        return current.Header.Revision + 1;
    }

    /// <summary>Someone else deleted our ACTIVE key: the session is over; revoke so the per-server key goes too.</summary>
    private async Task LoseActiveKeyAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested || State == SessionState.Stopped)
        {
            return; // Our own stop or loss deleted it (a stop's revoke goes out before this watch is cancelled).
        }

        SessionLog.ActiveKeyDeleted(_logger, ActiveKey, ServerName, ServerId);
        _lease.MarkLost(SessionLossReason.ActiveKeyDeleted);
        await _lease.StopAsync(revoke: true, _options.RevokeTimeout).ConfigureAwait(false);
    }
}

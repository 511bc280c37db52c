using Election.Etcd;
using EtcdProtocol.Etcdserverpb;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Election;

/// <content>The active-standby race (Milvus <c>ProcessActiveStandBy</c>, with its known bugs fixed).</content>
public sealed partial class ActiveStandbySession
{
    /// <summary>
    /// Waits as a standby until this session holds the ACTIVE key, then runs <paramref name="activate"/>
    /// once. A standby CASes the ACTIVE key (<c>CreateRevision == 0</c>) and, when it is taken, watches
    /// it from just after the failed txn's revision, retrying on any watch response (delete, put, compaction,
    /// error), so a delete is never missed. The callback's token is cancelled when the session is
    /// stopped or lost.
    /// </summary>
    /// <returns>Completes when <paramref name="activate"/> has completed, or when the session was stopped first.</returns>
    /// <exception cref="SessionLostException">The lease was lost before activation (e.g. the standby's own lease expired).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>
    /// If <paramref name="activate"/> throws, the session stops (revoking the lease, so another standby
    /// takes over at once) and the exception propagates: Milvus panics there.
    /// </remarks>
    public async Task ProcessActiveStandbyAsync(Func<CancellationToken, Task> activate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activate);
        if (Interlocked.Exchange(ref _processing, 1) != 0)
        {
            throw new InvalidOperationException("ProcessActiveStandbyAsync runs once per session");
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var token = linked.Token;
        try
        {
            if (_options.EnableActiveStandby)
            {
                await RaceForActiveAsync(token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The session ended while standby: a stop returns, a loss throws below.
        }
        catch (RpcException e) when (EtcdErrors.IsLeaseNotFound(e))
        {
            // The CAS named our own lease and etcd no longer has it (#28834: Milvus spun here forever).
            _lease.MarkLost(SessionLossReason.LeaseNotFound);
        }

        if (BeginActivation() is not { } activation)
        {
            if (State == SessionState.Lost)
            {
                throw new SessionLostException(LossReason);
            }

            return; // Stopped before the activation could start: a stop never waits on one that begins after it.
        }

        if (_options.EnableActiveStandby)
        {
            SessionLog.QuitStandby(_logger, ServerName, ServerId); // without active-standby there was no standby to quit (Milvus does not log it)
        }

        try
        {
            var running = RunActivationAsync(activate, token);
            if (_options.EnableActiveStandby)
            {
                // As Milvus attaches LivenessCheck after activation: once the callback has run to its first
                // await, so what it does first and the watch's opening come in one order.
                WatchAsActive();
            }

            await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Stopped or lost during activation: the state says which.
        }
        catch (Exception e)
        {
            SessionLog.ActivateFailed(_logger, e, ServerName, ServerId);
            activation.TrySetResult();
            await StopAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            activation.TrySetResult();
        }

        if (State == SessionState.Stopped)
        {
            await StopAsync().ConfigureAwait(false); // A stop from inside the activation revokes now that it returned.
        }
    }

    /// <summary>Records that the activation starts, unless the session ended first; a stop from now on waits for it.</summary>
    private TaskCompletionSource? BeginActivation()
    {
        lock (_gate)
        {
            if (_state != SessionState.Active)
            {
                return null;
            }

            _activation = new TaskCompletionSource();
            return _activation;
        }
    }

    /// <summary>Runs the callback with this session marked as the one activating, for a stop it calls itself.</summary>
    private async Task RunActivationAsync(Func<CancellationToken, Task> activate, CancellationToken token)
    {
        InsideActivation.Value = this;
        await activate(token).ConfigureAwait(false);
    }

    private async Task RaceForActiveAsync(CancellationToken cancellationToken)
    {
        SessionLog.EnterStandby(_logger, ServerName);
        using var ticker = _time.CreateTimer(
            static s => ((ActiveStandbySession)s!).LogStandbyTick(), this, _options.StandbyLogInterval, _options.StandbyLogInterval);
        var value = SessionValue.Encode(ServerId, _options, exclusive: true, LeaseId);
        WatchCall? lastWatch = null;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                SessionLog.TryRegisterActive(_logger, ServerName);
                TxnResponse response;
                try
                {
                    response = await _etcd.Kv.TxnAsync(
                        new TxnRequest
                        {
                            Compare = { Keys.CreateRevisionIs(ActiveKey, 0) },
                            Success = { Keys.Put(ActiveKey, value, LeaseId) },
                        },
                        cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (CallFailure.IsRetryable(e, cancellationToken))
                {
                    SessionLog.RegisterActiveFailed(_logger, e.Message);
                    await Task.Delay(_options.RetryInterval, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                finally
                {
                    // The watch that sent us here ends once its CAS is answered: its teardown stays off the takeover's path.
                    lastWatch?.Dispose();
                    lastWatch = null;
                }

                if (response.Succeeded)
                {
                    SessionLog.RegisterActive(_logger, ServerName, response.Header.Revision);
                    ticker.Dispose();
                    if (!Activated(response.Header.Revision, watch: false))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    return;
                }

                // The CAS saw the key present as of the header revision, so a DELETE can only come after it.
                // Milvus watches from the header revision itself, which replays the key's own latest PUT
                // and spins as long as nothing else is written (one wasted CAS per round trip).
                SessionLog.AlreadyRegistered(_logger, ServerName);
                lastWatch = await WaitForActiveKeyChangeAsync(response.Header.Revision + 1, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            lastWatch?.Dispose();
        }
    }

    /// <summary>
    /// Waits for one meaningful watch response on the ACTIVE key from <paramref name="revision"/> on.
    /// Returns the watch, still open, for the caller to dispose after its next CAS (null after a failure).
    /// </summary>
    private async Task<WatchCall?> WaitForActiveKeyChangeAsync(long revision, CancellationToken cancellationToken)
    {
        SessionLog.StartWatching(_logger, ServerName, ActiveKey, revision);
        string what;
        WatchCall? watch = null;
        try
        {
            watch = await WatchCall.StartAsync(_etcd, ActiveKey, revision, cancellationToken).ConfigureAwait(false);
            var response = await watch.NextAsync().ConfigureAwait(false);
            LogEvents(response);
            what = Describe(response);
        }
        catch (Exception e) when (CallFailure.IsRetryable(e, cancellationToken))
        {
            // Any watch failure (#50102: an expired auth token killed Milvus here) means: retry the CAS.
            watch?.Dispose();
            watch = null;
            what = "watch error: " + e.Message;
            await Task.Delay(_options.RetryInterval, _time, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            watch?.Dispose();
            throw;
        }

        SessionLog.StopWatching(_logger, ActiveKey, what);
        return watch;
    }

    private static string Describe(WatchResponse? response) => response switch
    {
        null => "watch stream closed",
        { CompactRevision: > 0 } => $"compacted at {response.CompactRevision}",
        { Canceled: true } => "watch canceled: " + response.CancelReason,
        { Events.Count: > 0 } => string.Join(", ", response.Events.Select(e => $"{e.Type} at {e.Kv.ModRevision}")),
        _ => "progress at " + response.Header?.Revision,
    };

    /// <summary>Milvus's per-event Debug line; the text form is only built when someone reads it.</summary>
    private void LogEvents(WatchResponse? response)
    {
        if (response is null || !_logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        foreach (var e in response.Events)
        {
            if (e.Type == EtcdProtocol.Mvccpb.Event.Types.EventType.Delete)
            {
                SessionLog.WatchedDelete(_logger, KeyValueText.Format(e.Kv));
            }
            else
            {
                SessionLog.WatchedPut(_logger, KeyValueText.Format(e.Kv));
            }
        }
    }

    private void LogStandbyTick()
    {
        if (State == SessionState.Standby)
        {
            SessionLog.IsInStandby(_logger, ServerName);
        }
    }
}

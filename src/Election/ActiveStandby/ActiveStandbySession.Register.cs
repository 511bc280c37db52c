using System.Globalization;
using System.Text.Json;
using Election.Etcd;
using EtcdProtocol.Etcdserverpb;
using EtcdProtocol.Mvccpb;
using Microsoft.Extensions.Logging;

namespace Election;

/// <content>Registration (Milvus <c>registerService</c> with <c>retry.Do</c> and <c>handleRestart</c>).</content>
public sealed partial class ActiveStandbySession
{
    /// <summary>
    /// One try after another, as Milvus's <c>retry.Do(registerFn, Attempts(retryTimes))</c>: each try on a
    /// fresh lease; between tries a back-off from <see cref="SessionOptions.RegisterRetryDelay"/>, doubling up
    /// to <see cref="SessionOptions.RegisterRetryMaxDelay"/>. The ServerID is allocated once.
    /// </summary>
    private static async Task<ActiveStandbySession> RegisterWithRetriesAsync(EtcdApi api, SessionOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var prefix = SessionPrefix(options);
        var serverId = 0L;
        IDisposable? scope = null;
        var delay = options.RegisterRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            ActiveStandbySession? session = null;
            Task pause;
            try
            {
                if (serverId == 0)
                {
                    serverId = await ServerIdAllocator.AllocateAsync(api, prefix + "id", cancellationToken).ConfigureAwait(false);
                    scope = logger.BeginScope(new Dictionary<string, object> { ["ServerName"] = options.ServerName, ["ServerID"] = serverId });
                }

                var lease = await LeaseKeeper.GrantAsync(api, options.Ttl, options.TimeProvider, logger, cancellationToken).ConfigureAwait(false);
                session = new ActiveStandbySession(api, options, serverId, lease, logger, scope);
                if (await session.TryRegisterServerKeyAsync(cancellationToken).ConfigureAwait(false))
                {
                    return session;
                }

                var taken = $"session key {session.ServerKey} is already registered by another process";
                if (attempt == options.RegisterRetries)
                {
                    throw new InvalidOperationException(taken);
                }

                // The back-off starts with the answer, before the teardown: its instant does not depend on how
                // soon the failed try's keepalive loop winds down.
                pause = Task.Delay(delay, options.TimeProvider, cancellationToken);
                SessionLog.RegisterFailed(logger, options.ServerName, attempt, options.RegisterRetries, taken);
                await session.AbandonAsync(revoke: true).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < options.RegisterRetries && CallFailure.IsRetryable(e, cancellationToken))
            {
                pause = Task.Delay(delay, options.TimeProvider, cancellationToken);
                SessionLog.RegisterFailed(logger, options.ServerName, attempt, options.RegisterRetries, e.Message);
                if (session is not null)
                {
                    await session.AbandonAsync(revoke: false).ConfigureAwait(false);
                }
            }
            catch
            {
                if (session is not null)
                {
                    await session.StopAsync().ConfigureAwait(false);
                }
                else
                {
                    scope?.Dispose();
                }

                throw;
            }

            await pause.ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.RegisterRetryMaxDelay.Ticks));
        }
    }

    /// <summary>Gives up this try's lease: revoked when etcd answered (the key was taken), else left to expire.</summary>
    private async Task AbandonAsync(bool revoke)
    {
        EndLifetime();
        await _lease.StopAsync(revoke, _options.RevokeTimeout).ConfigureAwait(false);
    }

    /// <summary>One try at the session's key; false when another live session holds it.</summary>
    private async Task<bool> TryRegisterServerKeyAsync(CancellationToken cancellationToken)
    {
        var exclusive = !_options.EnableActiveStandby;
        ServerKey = exclusive ? ActiveKey : ActiveKey + "-" + ServerId.ToString(CultureInfo.InvariantCulture);
        var response = await _etcd.Kv.TxnAsync(
            new TxnRequest
            {
                Compare = { Keys.CreateRevisionIs(ServerKey, 0) },
                Success = { Keys.Put(ServerKey, SessionValue.Encode(ServerId, _options, exclusive: true, LeaseId), LeaseId) },
                Failure = { Keys.Get(ServerKey) },
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            var holder = response.Responses.Count == 1 ? Keys.Single(response.Responses[0].ResponseRange) : null;
            if (holder is not null && IsOwnRestart(holder))
            {
                await PurgeOldSessionAsync(holder, cancellationToken).ConfigureAwait(false);
            }

            return false;
        }

        SessionLog.Registered(_logger, ServerKey, ServerName, ServerId, LeaseId);
        if (exclusive)
        {
            Activated(response.Header.Revision, watch: true);
        }

        return true;
    }

    /// <summary>Milvus <c>handleRestart</c>: the key holds a session of this address with a smaller ServerID, a process that ran here before.</summary>
    private bool IsOwnRestart(KeyValue holder)
    {
        if (string.IsNullOrEmpty(_options.Address))
        {
            return false;
        }

        try
        {
            using var json = JsonDocument.Parse(holder.Value.Memory);
            var root = json.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("Address", out var address) && address.ValueKind == JsonValueKind.String && address.GetString() == _options.Address
                && root.TryGetProperty("ServerID", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var oldId) && oldId < ServerId;
        }
        catch (JsonException)
        {
            return false; // Not a session we can read: not ours to delete.
        }
    }

    /// <summary>Deletes the old session's key (only the version we read), so the next try can register.</summary>
    private async Task PurgeOldSessionAsync(KeyValue holder, CancellationToken cancellationToken)
    {
        SessionLog.PurgeOldSession(_logger, ServerKey, _options.Address);
        await _etcd.Kv.TxnAsync(
            new TxnRequest
            {
                Compare = { new Compare { Key = holder.Key, Target = Compare.Types.CompareTarget.Mod, ModRevision = holder.ModRevision } },
                Success = { Keys.Delete(ServerKey) },
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

using Coordinator.Clock;
using Election;
using Microsoft.Extensions.Logging;

namespace Coordinator;

/// <summary>
/// A rootcoord's life as Milvus 2.5 runs it with active-standby: register a session, wait as standby
/// for the ACTIVE key, activate, then stay active until stopped (the session's lease is revoked, so a
/// standby takes over at once) or until the session is lost (exit 1, as Milvus's os.Exit(1)).
/// </summary>
internal static class RootCoord
{
    public const string ServerName = "rootcoord";

    /// <returns>The exit code: 0 after a stop, 1 when the session was lost.</returns>
    /// <exception cref="InvalidOperationException">Active-standby is off and another process holds the ACTIVE key (Milvus panics there).</exception>
    public static async Task<int> RunAsync(CoordinatorSettings settings, EtcdConnection etcd, ILoggerProvider logs, CancellationToken stopping)
    {
        var logger = logs.CreateLogger(RootCoordLog.Category);
        var options = new SessionOptions
        {
            MetaRoot = settings.MetaRoot,
            ServerName = ServerName,
            Address = settings.Address,
            Ttl = settings.SessionTtl,
            EnableActiveStandby = settings.EnableActiveStandby,
            HostName = Environment.MachineName,
            TimeProvider = etcd.Time,
            Logger = logs.CreateLogger(typeof(ActiveStandbySession).FullName!),
        };

        if (settings.EnableActiveStandby)
        {
            RootCoordLog.EnterStandbyMode(logger);
        }

        // Without active-standby this registers the ACTIVE key itself, and throws if another process holds it.
        await using var session = await ActiveStandbySession.RegisterAsync(etcd.Etcd, options, stopping).ConfigureAwait(false);
        if (settings.EnableActiveStandby)
        {
            try
            {
                await session.ProcessActiveStandbyAsync(_ => Activate(settings.Address, logger), stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return 0;
            }
            catch (SessionLostException e)
            {
                RootCoordLog.ActivateFailed(logger, e);
                return 1;
            }
        }

        if (session.State == SessionState.Active)
        {
            RootCoordLog.RegisterFinished(logger);
            await WhenEitherAsync(session.Ended, stopping).ConfigureAwait(false);
        }

        if (session.State == SessionState.Lost)
        {
            RootCoordLog.Disconnected(logger, session.ServerId);
            return 1;
        }

        // Disposing the session revokes its lease.
        return 0;
    }

    /// <summary>Milvus's activateFunc: the real init and start would run here; this demo only logs them.</summary>
    private static Task Activate(string address, ILogger logger)
    {
        RootCoordLog.Activating(logger);
        RootCoordLog.StartupSuccess(logger, address);
        return Task.CompletedTask;
    }

    private static async Task WhenEitherAsync(CancellationToken first, CancellationToken second)
    {
        var either = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (first.Register(() => either.TrySetResult()).ConfigureAwait(false))
        await using (second.Register(() => either.TrySetResult()).ConfigureAwait(false))
        {
            await either.Task.ConfigureAwait(false);
        }
    }
}

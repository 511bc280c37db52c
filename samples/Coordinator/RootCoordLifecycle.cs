using Election;
using Election.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Coordinator;

/// <summary>
/// The rootcoord's own lines around its hosted session: "enter standby mode" before the session
/// registers (so this service is added before it), and on a loss the line Milvus prints where it was
/// lost: "disconnected from etcd" once active, "failed to activate" while standby.
/// </summary>
internal sealed class RootCoordLifecycle(ActiveStandbyStatus status, IOptions<ActiveStandbyHostOptions> options, ILoggerFactory logs) : IHostedService
{
    private readonly ILogger _logger = logs.CreateLogger(RootCoordLog.Category);
    private ActiveStandbyHostState _previous;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        status.Changed += OnChanged;
        if (options.Value.EnableActiveStandby)
        {
            RootCoordLog.EnterStandbyMode(_logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        status.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    /// <summary>Runs inline with each change, one at a time, so <see cref="_previous"/> needs no lock.</summary>
    private void OnChanged(object? sender, ActiveStandbyHostState state)
    {
        if (state == ActiveStandbyHostState.Lost && status.Session is { } session)
        {
            if (_previous == ActiveStandbyHostState.Active)
            {
                RootCoordLog.Disconnected(_logger, session.ServerId);
            }
            else
            {
                RootCoordLog.ActivateFailed(_logger, new SessionLostException(session.LossReason));
            }
        }

        _previous = state;
    }
}

using Election.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Coordinator;

/// <summary>
/// Milvus's activateFunc for a rootcoord, resolved from DI once the session holds the ACTIVE key: the
/// real init and start would run here; this demo only logs them. "Register Finished" follows the
/// activation in both modes, as Milvus's Register() logs it once ProcessActiveStandBy returned.
/// </summary>
internal sealed class RootCoordActivation(ActiveStandbyStatus status, IOptions<ActiveStandbyHostOptions> options, ILoggerFactory logs) : IActiveStandbyActivation
{
    private readonly ILogger _logger = logs.CreateLogger(RootCoordLog.Category);

    public Task ActivateAsync(CancellationToken cancellationToken)
    {
        if (options.Value.EnableActiveStandby)
        {
            // Milvus's switch from standby to active; without active-standby the process starts active.
            RootCoordLog.Activating(_logger);
            RootCoordLog.StartupSuccess(_logger, status.Session!.Address);
        }

        RootCoordLog.RegisterFinished(_logger);
        return Task.CompletedTask;
    }
}

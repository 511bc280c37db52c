using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Election.Hosting;

/// <summary>
/// Healthy while the session is standby or active (the description says which), degraded while it
/// registers, the registration's failure status (unhealthy by default) once it is lost, stopped or failed. The data carry the role, state and ServerID.
/// </summary>
internal sealed class ActiveStandbyHealthCheck(ActiveStandbyStatus status, IOptions<ActiveStandbyHostOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = status.State;
        var session = status.Session;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["role"] = options.Value.Role,
            ["state"] = state.ToString(),
        };
        if (session is not null)
        {
            data["serverId"] = session.ServerId;
        }

        var result = state switch
        {
            ActiveStandbyHostState.Standby => HealthCheckResult.Healthy("standby", data),
            ActiveStandbyHostState.Active => HealthCheckResult.Healthy("active", data),
            ActiveStandbyHostState.Registering => HealthCheckResult.Degraded("registering", data: data),
            ActiveStandbyHostState.Lost => new HealthCheckResult(context.Registration.FailureStatus, $"session lost ({session?.LossReason})", data: data),
            ActiveStandbyHostState.Stopped => new HealthCheckResult(context.Registration.FailureStatus, "stopped", data: data),
            _ => new HealthCheckResult(context.Registration.FailureStatus, "failed: " + status.Failure?.Message, status.Failure, data),
        };
        return Task.FromResult(result);
    }
}

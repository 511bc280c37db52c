using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the hosted active-standby session's health check.</summary>
public static class ActiveStandbyHealthChecksBuilderExtensions
{
    /// <summary>
    /// Healthy while the session is standby or active, degraded while it registers,
    /// <paramref name="failureStatus"/> once it is lost, stopped or failed. Needs <c>AddActiveStandby</c>.
    /// </summary>
    /// <param name="builder">The health checks.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">What a lost, stopped or failed session reports; unhealthy by default.</param>
    /// <param name="tags">Tags for filtering checks (e.g. "live", "ready").</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IHealthChecksBuilder AddActiveStandby(this IHealthChecksBuilder builder, string name = "active-standby", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<Election.Hosting.ActiveStandbyHealthCheck>(name, failureStatus, tags ?? []);
    }
}

using Election.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a Milvus-style active-standby session as a hosted service.</summary>
public static class ActiveStandbyServiceCollectionExtensions
{
    /// <summary>
    /// Runs one active-standby session of <paramref name="role"/> for the host's lifetime, with
    /// <typeparamref name="TActivation"/> as what the process does once active. Settings are read from
    /// <paramref name="configuration"/> by Milvus's keys and environment names (etcd.endpoints or
    /// ETCD_ENDPOINTS, common.session.ttl, &lt;role&gt;.enableActiveStandby, ...), then
    /// <paramref name="configure"/> has the last say; bad values fail the host's start with their key named.
    /// The session's clock is the registered <see cref="TimeProvider"/>, else the system clock.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">Where Milvus's keys are looked up (the host's configuration, or a section of it).</param>
    /// <param name="role">rootcoord, datacoord, querycoord, indexcoord or mixcoord.</param>
    /// <param name="configure">Settings in code, applied after the configuration's.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddActiveStandby<TActivation>(this IServiceCollection services, IConfiguration configuration, string role, Action<ActiveStandbyHostOptions>? configure = null)
        where TActivation : class, IActiveStandbyActivation
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(role);
        return services.AddActiveStandby<TActivation>(options =>
        {
            MilvusConfiguration.Apply(configuration, role, options);
            configure?.Invoke(options);
        });
    }

    /// <summary>
    /// Runs one active-standby session for the host's lifetime, with settings in code only (Milvus's
    /// defaults otherwise; <see cref="ActiveStandbyHostOptions.Role"/> is required).
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">The settings.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddActiveStandby<TActivation>(this IServiceCollection services, Action<ActiveStandbyHostOptions> configure)
        where TActivation : class, IActiveStandbyActivation
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<ActiveStandbyHostOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ActiveStandbyHostOptions>, ActiveStandbyHostOptionsValidator>());
        services.TryAddSingleton<ActiveStandbyStatus>();
        services.TryAddScoped<IActiveStandbyActivation, TActivation>();
        services.AddHostedService<ActiveStandbyService>();
        return services;
    }
}

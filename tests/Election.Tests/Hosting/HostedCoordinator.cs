using Election.Hosting;
using Election.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Election.Tests.Hosting;

/// <summary>
/// A generic host running one hosted active-standby session against a <see cref="VirtualEtcd"/>: its
/// etcd calls on the fixture's counted invoker, its clock the server's, its settings from Milvus's
/// environment names in the settings given.
/// </summary>
public sealed class HostedCoordinator : IAsyncDisposable
{
    private readonly IHost _host;

    private HostedCoordinator(IHost host, ListLogger log)
    {
        _host = host;
        Log = log;
    }

    public ActiveStandbyStatus Status => _host.Services.GetRequiredService<ActiveStandbyStatus>();

    /// <summary>Every line the host and its session logged.</summary>
    public ListLogger Log { get; }

    /// <summary>Cancelled once the application was asked to stop (by the session's loss, or by a failure).</summary>
    public CancellationToken ApplicationStopping => _host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

    public static IHost Build(VirtualEtcd etcd, ActivationRecord record, IReadOnlyDictionary<string, string?> settings, string role = "rootcoord", Action<ActiveStandbyHostOptions>? configure = null, ListLogger? log = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        if (log is not null)
        {
            builder.Logging.AddProvider(new ListLoggerProvider(log));
        }

        builder.Services.AddSingleton<TimeProvider>(etcd.Clock);
        builder.Services.AddSingleton(record);
        builder.Services.AddActiveStandby<RecordingActivation>(builder.Configuration, role, options =>
        {
            options.Etcd = _ => etcd.Invoker;
            configure?.Invoke(options);
        });
        builder.Services.AddHealthChecks().AddActiveStandby();
        return builder.Build();
    }

    public static async Task<HostedCoordinator> StartAsync(VirtualEtcd etcd, ActivationRecord record, IReadOnlyDictionary<string, string?> settings, Action<ActiveStandbyHostOptions>? configure = null)
    {
        var log = new ListLogger();
        var host = Build(etcd, record, settings, configure: configure, log: log);
        var coordinator = new HostedCoordinator(host, log);
        await host.StartAsync(TestContext.Current.CancellationToken);
        return coordinator;
    }

    /// <summary>Waits until the hosted session reached <paramref name="state"/> (or went past it); see <see cref="HostWaits"/>.</summary>
    public Task ReachesAsync(ActiveStandbyHostState state) => Status.ReachesAsync(state);

    /// <summary>Waits for the application's stop to be asked; see <see cref="HostWaits"/>.</summary>
    public Task StoppingAsync() => _host.Services.GetRequiredService<IHostApplicationLifetime>().StoppingAsync();

    public async Task<HealthReport> CheckHealthAsync() =>
        await _host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

    /// <summary>The host's graceful stop (SIGTERM): the activation ends, then the lease is revoked.</summary>
    public Task StopAsync() => _host.StopAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }

    /// <summary>One <see cref="ListLogger"/> for every category.</summary>
    private sealed class ListLoggerProvider(ListLogger log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => log;

        public void Dispose()
        {
        }
    }
}

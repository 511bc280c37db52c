using Coordinator.Clock;
using Coordinator.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordinator;

/// <summary>
/// The rootcoord as a generic host over Election.Hosting: the hosted session reads Milvus's keys from
/// the settings, runs on the connection's clock, and activates <see cref="RootCoordActivation"/>.
/// </summary>
internal static class CoordinatorHost
{
    public const string Role = "rootcoord";

    public static IHost Build(IConfiguration settings, EtcdConnection etcd, MilvusLoggerProvider logs)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(settings);
        builder.Logging.AddProvider(logs).SetMinimumLevel(logs.MinimumLevel).AddFilter("Microsoft", LogLevel.Warning); // Milvus prints only its own lines
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddSingleton(etcd.Time);
        builder.Services.AddHostedService<RootCoordLifecycle>(); // before the session, so its first line comes first
        builder.Services.AddActiveStandby<RootCoordActivation>(builder.Configuration, Role, options =>
        {
            if (etcd.Etcd is { } invoker)
            {
                options.Etcd = _ => invoker;
            }
        });
        return builder.Build();
    }
}

using Coordinator.Clock;
using Coordinator.Logging;
using Election.Hosting;
using FakeEtcd;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordinator.Tests.Support;

/// <summary>
/// The coordinator's host (<see cref="CoordinatorHost"/>) in this process on a FakeEtcd server's
/// virtual clock, with its calls on the server's counted invoker and its lines in <see cref="Output"/>:
/// what <c>--clock follow</c> does over the network, with every line exact.
/// </summary>
internal sealed class InProcessCoordinator : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly MilvusLoggerProvider _logs;

    private InProcessCoordinator(IHost host, MilvusLoggerProvider logs, StringWriter output)
    {
        _host = host;
        _logs = logs;
        Output = output;
    }

    public StringWriter Output { get; }

    public ActiveStandbyStatus Status => _host.Services.GetRequiredService<ActiveStandbyStatus>();

    /// <summary>Builds and starts the host; it has made its first etcd call when this returns.</summary>
    public static async Task<InProcessCoordinator> StartAsync(FakeEtcdServer server, IReadOnlyDictionary<string, string?> environment)
    {
        var output = new StringWriter();
        var logs = new MilvusLoggerProvider(server.Clock, output, LogLevel.Debug);
        var settings = new ConfigurationBuilder().AddInMemoryCollection(environment).Build();
        var host = CoordinatorHost.Build(settings, new EtcdConnection(server.Clock, server.CreateCallInvoker(), NothingToDispose.Instance), logs);
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new InProcessCoordinator(host, logs, output);
    }

    /// <summary>The graceful stop (SIGTERM); returns the exit code the program would return.</summary>
    public async Task<int> StopAsync()
    {
        await _host.StopAsync(TestContext.Current.CancellationToken);
        return Status.ExitCode;
    }

    /// <summary>Waits for the application to stop itself (a refused registration); see <see cref="HostWaits"/>.</summary>
    public Task StoppedItselfAsync() => _host.Services.GetRequiredService<IHostApplicationLifetime>().StoppingAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        _logs.Dispose();
    }
}

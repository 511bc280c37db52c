using Coordinator.Clock;
using Coordinator.Logging;
using Election.Hosting;
using FakeEtcd;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coordinator.Tests;

/// <summary>--clock system: the wall clock, and the hosted session's one channel over every ETCD_ENDPOINTS entry.</summary>
public sealed class SystemClockTests
{
    [Fact]
    public async Task Calls_go_to_the_endpoint_that_answers_when_an_earlier_one_is_down()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { TimeProvider = TimeProvider.System }, ct);
        var settings = SettingsTests.Settings(new() { ["ETCD_ENDPOINTS"] = "127.0.0.1:1," + server.ClientUrl.Authority });

        var etcd = await ClockSources.All["system"]!(ActiveStandbyHostOptions.FromConfiguration(settings, CoordinatorHost.Role).Endpoints, ct);
        await using (etcd.Lifetime)
        {
            using var logs = new MilvusLoggerProvider(etcd.Time, TextWriter.Null, LogLevel.Debug);
            using var host = CoordinatorHost.Build(settings, etcd, logs);
            var status = host.Services.GetRequiredService<ActiveStandbyStatus>();
            await host.StartAsync(ct);
            await status.ReachesAsync(ActiveStandbyHostState.Active);

            Assert.Same(TimeProvider.System, etcd.Time);
            Assert.Null(etcd.Etcd); // the hosted session's own channel
            Assert.Equal(ActiveStandbyHostState.Active, status.State);
            await host.StopAsync(ct);
        }
    }
}

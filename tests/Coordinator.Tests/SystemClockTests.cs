using Coordinator.Clock;
using Election;
using FakeEtcd;

namespace Coordinator.Tests;

/// <summary>--clock system: the wall clock and one channel over every ETCD_ENDPOINTS entry.</summary>
public sealed class SystemClockTests
{
    [Fact]
    public async Task Calls_go_to_the_endpoint_that_answers_when_an_earlier_one_is_down()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { TimeProvider = TimeProvider.System }, ct);
        var endpoints = EtcdEndpoints.Parse("127.0.0.1:1," + server.ClientUrl.Authority);

        var etcd = await ClockSources.All["system"]!(endpoints, ct);
        await using (etcd.Lifetime)
        {
            await using var session = await ActiveStandbySession.RegisterAsync(
                etcd.Etcd, new SessionOptions { ServerName = "rootcoord", EnableActiveStandby = false, TimeProvider = etcd.Time }, ct);

            Assert.Same(TimeProvider.System, etcd.Time);
            Assert.Equal(SessionState.Active, session.State);
        }
    }
}

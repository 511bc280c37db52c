using System.Text.Json;
using Election.Hosting;
using Election.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Election.Tests.Hosting;

/// <summary>
/// The generic-host integration on FakeEtcd's virtual clock: a hosted session activates its DI
/// service, hands over on the host's stop only after that work ended, stops the application when lost
/// or refused, and reports all of it through its health check.
/// </summary>
public sealed class HostedSessionTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> ActiveStandby => new()
    {
        ["ROOT_COORD_ENABLE_ACTIVE_STANDBY"] = "true",
        ["COMMON_SESSION_TTL"] = "30",
    };

    [Fact]
    public async Task The_active_host_runs_its_activation_and_on_stop_the_standby_host_begins_after_it_ended()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var record = new ActivationRecord(etcd.Clock);
        await using var a = await HostedCoordinator.StartAsync(etcd, record, ActiveStandby, o => o.Address = "10.0.0.1:53100");
        await a.ReachesAsync(ActiveStandbyHostState.Active);
        await record.WhenNotedAsync(1);
        await using var b = await HostedCoordinator.StartAsync(etcd, record, ActiveStandby, o => o.Address = "10.0.0.2:53100");
        await b.Log.WhenLoggedAsync("start to watch ACTIVE key");
        await etcd.SettleAsync();

        Assert.Equal(ActiveStandbyHostState.Active, a.Status.State);
        Assert.Equal(ActiveStandbyHostState.Standby, b.Status.State);
        Assert.Equal(TimeSpan.FromSeconds(30), a.Status.Session!.Ttl);
        Assert.Equal(["10.0.0.1:53100 began at 0s"], record.Events);
        await AssertHealthAsync(a, HealthStatus.Healthy, "active", "Active");
        await AssertHealthAsync(b, HealthStatus.Healthy, "standby", "Standby");

        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(10));
        await a.StopAsync();
        await record.WhenNotedAsync(3);
        await etcd.SettleAsync();
        Assert.Equal(TimeSpan.FromSeconds(10), etcd.Now);

        Assert.Equal(["10.0.0.1:53100 began at 0s", "10.0.0.1:53100 ended at 10s", "10.0.0.2:53100 began at 10s"], record.Events);
        Assert.Equal(ActiveStandbyHostState.Stopped, a.Status.State);
        Assert.Equal(ActiveStandbyHostState.Active, b.Status.State);
        Assert.Equal(0, a.Status.ExitCode);
        await AssertHealthAsync(a, HealthStatus.Unhealthy, "stopped", "Stopped");
        var active = Assert.Single((await etcd.Operator.GetAsync("by-dev/meta/session/rootcoord", cancellationToken: Ct)).Kvs);
        using var value = JsonDocument.Parse(active.Value.ToStringUtf8());
        Assert.Equal(b.Status.Session!.ServerId, value.RootElement.GetProperty("ServerID").GetInt64());
        Assert.Equal("10.0.0.2:53100", value.RootElement.GetProperty("Address").GetString());
    }

    [Fact]
    public async Task A_lost_session_ends_the_activation_stops_the_application_and_exits_1()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var record = new ActivationRecord(etcd.Clock);
        await using var a = await HostedCoordinator.StartAsync(etcd, record, ActiveStandby, o => o.Address = "10.0.0.1:53100");
        await a.ReachesAsync(ActiveStandbyHostState.Active);
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(5));
        Assert.False(a.ApplicationStopping.IsCancellationRequested);

        await etcd.Operator.DeleteAsync("by-dev/meta/session/rootcoord", cancellationToken: Ct);
        await a.StoppingAsync();
        await record.WhenNotedAsync(2);

        Assert.Equal(ActiveStandbyHostState.Lost, a.Status.State);
        Assert.Equal(TimeSpan.FromSeconds(5), etcd.Now);
        Assert.Equal(SessionLossReason.ActiveKeyDeleted, a.Status.Session!.LossReason);
        Assert.Equal(1, a.Status.ExitCode);
        Assert.True(a.ApplicationStopping.IsCancellationRequested);
        Assert.Equal(["10.0.0.1:53100 began at 0s", "10.0.0.1:53100 ended at 5s"], record.Events);
        Assert.Equal(1, a.Log.Count("rootcoord session lost (ActiveKeyDeleted): stopping the application"));
        await AssertHealthAsync(a, HealthStatus.Unhealthy, "session lost (ActiveKeyDeleted)", "Lost");
    }

    [Fact]
    public async Task With_StopApplicationOnLoss_off_a_lost_session_leaves_the_application_running()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var record = new ActivationRecord(etcd.Clock);
        await using var a = await HostedCoordinator.StartAsync(etcd, record, ActiveStandby, o =>
        {
            o.Address = "10.0.0.1:53100";
            o.StopApplicationOnLoss = false;
        });
        await a.ReachesAsync(ActiveStandbyHostState.Active);
        await etcd.SettleAsync();

        await etcd.Operator.DeleteAsync("by-dev/meta/session/rootcoord", cancellationToken: Ct);
        await a.ReachesAsync(ActiveStandbyHostState.Lost);
        await etcd.SettleAsync();

        Assert.Equal(ActiveStandbyHostState.Lost, a.Status.State);
        Assert.Equal(TimeSpan.Zero, etcd.Now);
        Assert.False(a.ApplicationStopping.IsCancellationRequested);
        Assert.Equal(1, a.Log.Count("rootcoord session lost (ActiveKeyDeleted); the application goes on (StopApplicationOnLoss is off)"));
    }

    [Fact]
    public async Task Without_active_standby_a_second_host_is_refused_after_its_register_tries_and_stops()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var record = new ActivationRecord(etcd.Clock);
        var exclusive = new Dictionary<string, string?> { ["COMMON_SESSION_RETRY_TIMES"] = "2" };
        await using var a = await HostedCoordinator.StartAsync(etcd, record, exclusive, o => o.Address = "10.0.0.1:53100");
        await a.ReachesAsync(ActiveStandbyHostState.Active); // claimed the ACTIVE key at registration
        await record.WhenNotedAsync(1);
        Assert.Equal(["10.0.0.1:53100 began at 0s"], record.Events);

        await using var b = await HostedCoordinator.StartAsync(etcd, record, exclusive, o => o.Address = "10.0.0.2:53100");
        await b.Log.WhenLoggedAsync("register rootcoord session failed, try 1"); // the back-off is armed with the failed answer
        await etcd.AdvanceToAsync(TimeSpan.FromMilliseconds(200) - Tick); // the one back-off: 200 ms
        Assert.Equal(ActiveStandbyHostState.Registering, b.Status.State);
        await AssertHealthAsync(b, HealthStatus.Degraded, "registering", "Registering");
        Assert.False(b.ApplicationStopping.IsCancellationRequested);

        await etcd.AdvanceAsync(Tick);
        await b.StoppingAsync();
        Assert.Equal(TimeSpan.FromMilliseconds(200), etcd.Now); // refused at the second try, and no later
        Assert.Equal(ActiveStandbyHostState.Failed, b.Status.State);
        Assert.Equal("session key by-dev/meta/session/rootcoord is already registered by another process", Assert.IsType<InvalidOperationException>(b.Status.Failure).Message);
        Assert.Equal(1, b.Status.ExitCode);
        Assert.Equal(1, b.Log.Count("rootcoord could not register its session: stopping the application"));
        await AssertHealthAsync(b, HealthStatus.Unhealthy, "failed: session key by-dev/meta/session/rootcoord is already registered by another process", "Failed");
        Assert.Equal(ActiveStandbyHostState.Active, a.Status.State);
    }

    [Fact]
    public async Task An_activation_that_throws_fails_the_host_and_revokes_its_lease_so_the_standby_takes_over_at_once()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var record = new ActivationRecord(etcd.Clock);
        record.ThrowOnce(new InvalidOperationException("init failed"));
        await using var a = await HostedCoordinator.StartAsync(etcd, record, ActiveStandby, o => o.Address = "10.0.0.1:53100");
        await a.Log.WhenLoggedAsync("session stopped: rootcoord"); // logged once the lease was revoked
        await etcd.SettleAsync();
        Assert.Equal("init failed", a.Status.Failure!.Message);
        Assert.True(a.ApplicationStopping.IsCancellationRequested);
        Assert.Equal(1, a.Log.Count("rootcoord activation failed: stopping the application"));
        Assert.Empty((await etcd.Operator.GetAsync("by-dev/meta/session/rootcoord", cancellationToken: Ct)).Kvs);

        await using var b = await HostedCoordinator.StartAsync(etcd, record, ActiveStandby, o => o.Address = "10.0.0.2:53100");
        await record.WhenNotedAsync(2);
        Assert.Equal(TimeSpan.Zero, etcd.Now);
        Assert.Equal(["10.0.0.1:53100 began at 0s", "10.0.0.2:53100 began at 0s"], record.Events);
    }

    [Fact]
    public async Task Without_an_Etcd_factory_the_session_connects_to_ETCD_ENDPOINTS()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var record = new ActivationRecord(etcd.Clock);
        var settings = new Dictionary<string, string?>(ActiveStandby) { ["ETCD_ENDPOINTS"] = etcd.Server.ClientUrl.Authority };
        var active = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var a = await HostedCoordinator.StartAsync(etcd, record, settings, o => o.Etcd = null);
        a.Status.Changed += (_, state) =>
        {
            if (state == ActiveStandbyHostState.Active)
            {
                active.TrySetResult();
            }
        };

        // No virtual time passes: the registration and the CAS need none. The wall-clock bound only ends a hang.
        if (a.Status.State != ActiveStandbyHostState.Active)
        {
            await active.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System, Ct);
        }

        var key = Assert.Single((await etcd.Operator.GetAsync("by-dev/meta/session/rootcoord", cancellationToken: Ct)).Kvs);
        Assert.Equal(a.Status.Session!.LeaseId, key.Lease);
        Assert.Contains("\"Address\":\"localhost:53100\"", key.Value.ToStringUtf8(), StringComparison.Ordinal); // the role's default address
    }

    private static async Task AssertHealthAsync(HostedCoordinator host, HealthStatus status, string description, string state)
    {
        var report = await host.CheckHealthAsync();
        var entry = Assert.Single(report.Entries);
        Assert.Equal("active-standby", entry.Key);
        Assert.Equal(status, entry.Value.Status);
        Assert.Equal(description, entry.Value.Description);
        Assert.Equal(state, entry.Value.Data["state"]);
        Assert.Equal("rootcoord", entry.Value.Data["role"]);
    }
}

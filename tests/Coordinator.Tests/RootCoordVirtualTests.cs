using System.Text.RegularExpressions;
using Coordinator.Tests.Support;
using Election.Hosting;
using FakeEtcd;

namespace Coordinator.Tests;

/// <summary>
/// Two rootcoord hosts in-process on FakeEtcd's virtual clock (what <c>--clock follow</c> does over the
/// network): every line, timestamp included, is exact.
/// </summary>
public sealed partial class RootCoordVirtualTests
{
    [Fact]
    public async Task Standby_waits_logs_every_10_seconds_and_takes_over_when_the_active_stops()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: ct);
        var clock = server.Clock;
        var settings = new Dictionary<string, string?>
        {
            ["ROOT_COORD_ENABLE_ACTIVE_STANDBY"] = "true",
            ["COMMON_SESSION_TTL"] = "30",
        };

        await using var a = await InProcessCoordinator.StartAsync(server, settings);
        await clock.AdvanceAsync(TimeSpan.Zero, ct);
        await using var b = await InProcessCoordinator.StartAsync(server, settings);
        await clock.AdvanceAsync(TimeSpan.Zero, ct);
        var watched = server.Revision + 1;

        await clock.AdvanceAsync(TimeSpan.FromSeconds(20), ct);
        Assert.Equal(0, await a.StopAsync());
        await clock.AdvanceAsync(TimeSpan.Zero, ct);

        string[] expected =
        [
            "[2000/01/01 00:00:00.000 +00:00] [INFO] [rootcoord/root_coord.go:561] [\"RootCoord enter standby mode successfully\"]",
            "[2000/01/01 00:00:00.000 +00:00] [INFO] [Election.ActiveStandbySession:Registered] [\"service registered: by-dev/meta/session/rootcoord-2, ServerName: rootcoord, ServerID: 2, lease: *\"]",
            "[2000/01/01 00:00:00.000 +00:00] [INFO] [sessionutil/session_util.go:1091] [\"serverName: rootcoord enter STANDBY mode\"]",
            "[2000/01/01 00:00:00.000 +00:00] [INFO] [sessionutil/session_util.go:1065] [\"try to register as ACTIVE rootcoord service...\"]",
            "[2000/01/01 00:00:00.000 +00:00] [INFO] [sessionutil/session_util.go:1085] [\"ACTIVE rootcoord has already been registered\"]",
            $"[2000/01/01 00:00:00.000 +00:00] [INFO] [sessionutil/session_util.go:1108] [\"rootcoord start to watch ACTIVE key by-dev/meta/session/rootcoord\"] [revision={watched}]",
            "[2000/01/01 00:00:10.000 +00:00] [INFO] [sessionutil/session_util.go:1094] [\"serverName: rootcoord is in STANDBY ...\"]",
            "[2000/01/01 00:00:20.000 +00:00] [INFO] [sessionutil/session_util.go:1094] [\"serverName: rootcoord is in STANDBY ...\"]",
            $"[2000/01/01 00:00:20.000 +00:00] [DEBUG] [sessionutil/session_util.go:1126] [\"watch the ACTIVE key\"] [DELETE=\"key:\\\"by-dev/meta/session/rootcoord\\\" mod_revision:{watched} \"]",
            $"[2000/01/01 00:00:20.000 +00:00] [INFO] [sessionutil/session_util.go:1132] [\"stop watching ACTIVE key by-dev/meta/session/rootcoord\"] [reason=\"Delete at {watched}\"]",
            "[2000/01/01 00:00:20.000 +00:00] [INFO] [sessionutil/session_util.go:1065] [\"try to register as ACTIVE rootcoord service...\"]",
            $"[2000/01/01 00:00:20.000 +00:00] [INFO] [sessionutil/session_util.go:1083] [\"register ACTIVE rootcoord\"] [revision={watched + 1}]",
            "[2000/01/01 00:00:20.000 +00:00] [INFO] [sessionutil/session_util.go:1136] [\"serverName: rootcoord quit STANDBY mode, this node will become ACTIVE, ID: 2\"]",
            "[2000/01/01 00:00:20.000 +00:00] [INFO] [rootcoord/root_coord.go:541] [\"RootCoord switch from standby to active, activating\"]",
            "[2000/01/01 00:00:20.000 +00:00] [INFO] [rootcoord/root_coord.go:557] [\"RootCoord startup success\"] [address=localhost:53100]",
            "[2000/01/01 00:00:20.000 +00:00] [INFO] [rootcoord/root_coord.go:288] [\"RootCoord Register Finished\"]",
        ];
        Assert.Equal(expected, LeaseIds().Replace(b.Output.ToString(), "lease: *").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(ActiveStandbyHostState.Active, b.Status.State);

        Assert.Equal(0, await b.StopAsync());
    }

    [Fact]
    public async Task Without_active_standby_the_first_registers_the_active_key_and_a_second_is_refused_after_its_retries()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: ct);
        await using var first = await InProcessCoordinator.StartAsync(server, new Dictionary<string, string?>());
        await server.Clock.AdvanceAsync(TimeSpan.Zero, ct);

        // Another address (the same one would be taken for a restart and purge the first's key). 30 tries,
        // 29 back-offs as Milvus's retry.Do: 0.2 + 0.4 + 0.8 + 1.6 s, then 25 of 3 s: the last try at 78 s.
        await using var second = await InProcessCoordinator.StartAsync(server, new Dictionary<string, string?> { ["ROOT_COORD_ADDRESS"] = "10.0.0.2:53100" });
        await server.Clock.AdvanceAsync(TimeSpan.FromSeconds(78) - TimeSpan.FromMilliseconds(1), ct);
        Assert.Equal(ActiveStandbyHostState.Registering, second.Status.State);
        await server.Clock.AdvanceAsync(TimeSpan.FromMilliseconds(1), ct);
        await second.StoppedItselfAsync();
        var lines = second.Output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(29, lines.Count(l => l.Contains("register rootcoord session failed, try ", StringComparison.Ordinal)));

        Assert.Equal(ActiveStandbyHostState.Failed, second.Status.State);
        Assert.Equal(1, second.Status.ExitCode);
        Assert.Equal("session key by-dev/meta/session/rootcoord is already registered by another process", Assert.IsType<InvalidOperationException>(second.Status.Failure).Message);
        Assert.StartsWith(
            "[2000/01/01 00:01:18.000 +00:00] [FATAL] [Election.Hosting.ActiveStandbyService:RegisterFailed] [\"rootcoord could not register its session: stopping the application\"]",
            lines[^1],
            StringComparison.Ordinal);
        Assert.Equal(
            [
                "[2000/01/01 00:00:00.000 +00:00] [INFO] [Election.ActiveStandbySession:Registered] [\"service registered: by-dev/meta/session/rootcoord, ServerName: rootcoord, ServerID: 1, lease: *\"]",
                "[2000/01/01 00:00:00.000 +00:00] [INFO] [rootcoord/root_coord.go:288] [\"RootCoord Register Finished\"]",
            ],
            LeaseIds().Replace(first.Output.ToString(), "lease: *").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(0, await first.StopAsync());
    }

    [GeneratedRegex("lease: [0-9a-f]+")]
    private static partial Regex LeaseIds();
}

using System.Text.RegularExpressions;
using Coordinator.Tests.Support;
using dotnet_etcd;
using FakeEtcd;

namespace Coordinator.Tests;

/// <summary>
/// Coordinators as real processes (<c>dotnet Coordinator.dll</c>) against an in-process FakeEtcd on
/// the system clock, with a 2 s session TTL: what an operator sees on stdout.
/// </summary>
public sealed partial class FailoverProcessTests
{
    private const string Registered = "[\"register ACTIVE rootcoord\"]";
    private const string AlreadyRegistered = "[\"ACTIVE rootcoord has already been registered\"]";
    private const string Finished = "[\"RootCoord Register Finished\"]";

    [Fact]
    public async Task Standby_takes_over_from_a_killed_active_printing_the_milvus_walkthrough_lines_in_order()
    {
        await using var server = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { TimeProvider = TimeProvider.System }, TestContext.Current.CancellationToken);
        var endpoint = server.ClientUrl.GetLeftPart(UriPartial.Authority);

        // Both forms of ETCD_ENDPOINTS Milvus accepts: host:port and http://host:port.
        await using var first = CoordinatorProcess.Start(Environment(endpoint["http://".Length..]), "--clock", "system");
        await using var second = CoordinatorProcess.Start(Environment(endpoint));
        var firstWon = await OutcomeAsync(first);
        var secondWon = await OutcomeAsync(second);
        Assert.NotEqual(firstWon, secondWon);
        var (active, standby) = firstWon ? (first, second) : (second, first);
        await active.WaitForLineAsync(Finished);
        var watching = await standby.WaitForLineAsync("start to watch ACTIVE key");
        var watched = long.Parse(WatchRevision().Match(standby.Lines[watching]).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var standbyId = ServerId().Match(standby.Lines[await standby.WaitForLineAsync("service registered:")]).Groups[1].Value;

        var before = standby.Lines.Count;
        await active.KillAsync();
        var done = await standby.WaitForLineAsync(Finished, before);

        // The lease expired (no revoke after a kill): its DELETE is the revision the standby watched from.
        var takeover = standby.Lines.Skip(before).Take(done - before + 1).Select(WithoutTime).Where(l => !l.Contains("is in STANDBY", StringComparison.Ordinal));
        Assert.Equal(
            [
                $"[DEBUG] [sessionutil/session_util.go:1126] [\"watch the ACTIVE key\"] [DELETE=\"key:\\\"by-dev/meta/session/rootcoord\\\" mod_revision:{watched} \"]",
                $"[INFO] [sessionutil/session_util.go:1132] [\"stop watching ACTIVE key by-dev/meta/session/rootcoord\"] [reason=\"Delete at {watched}\"]",
                "[INFO] [sessionutil/session_util.go:1065] [\"try to register as ACTIVE rootcoord service...\"]",
                $"[INFO] [sessionutil/session_util.go:1083] [\"register ACTIVE rootcoord\"] [revision={watched + 1}]",
                $"[INFO] [sessionutil/session_util.go:1136] [\"serverName: rootcoord quit STANDBY mode, this node will become ACTIVE, ID: {standbyId}\"]",
                "[INFO] [rootcoord/root_coord.go:541] [\"RootCoord switch from standby to active, activating\"]",
                "[INFO] [rootcoord/root_coord.go:557] [\"RootCoord startup success\"] [address=localhost:53100]",
                "[INFO] [rootcoord/root_coord.go:288] [\"RootCoord Register Finished\"]",
            ],
            takeover);
        Assert.All(standby.Lines, line => Assert.Matches(LineStart(), line));
    }

    [Fact]
    public async Task Sigterm_stops_an_active_coordinator_gracefully_and_revokes_its_lease()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "SIGTERM is sent with kill(1)");
        await using var server = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { TimeProvider = TimeProvider.System }, TestContext.Current.CancellationToken);
        var environment = new Dictionary<string, string>(Environment(server.ClientUrl.GetLeftPart(UriPartial.Authority))) { ["COMMON_SESSION_TTL"] = "60" };
        await using var coordinator = CoordinatorProcess.Start(environment);
        await coordinator.WaitForLineAsync(Finished);

        coordinator.Terminate();

        Assert.Equal(0, await coordinator.WaitForExitAsync());
        Assert.EndsWith("[\"session stopped: rootcoord, ServerID: 1\"]", coordinator.Lines[^1], StringComparison.Ordinal);

        // A 60 s lease is gone at once: it was revoked, and both keys with it.
        using var client = new EtcdClient(server.CreateCallInvoker());
        var keys = await client.GetRangeAsync("by-dev/meta/session/rootcoord", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Empty(keys.Kvs);
    }

    private static Dictionary<string, string> Environment(string endpoints) => new()
    {
        ["ETCD_ENDPOINTS"] = endpoints,
        ["ROOT_COORD_ENABLE_ACTIVE_STANDBY"] = "true",
        ["COMMON_SESSION_TTL"] = "2",
    };

    /// <summary>True if the coordinator won the ACTIVE key at its first try, false if it found it taken.</summary>
    private static async Task<bool> OutcomeAsync(CoordinatorProcess coordinator)
    {
        var tried = await coordinator.WaitForLineAsync("[\"try to register as ACTIVE rootcoord service...\"]");
        var answer = await coordinator.WaitForLineAsync("rootcoord", tried + 1);
        var line = coordinator.Lines[answer];
        Assert.True(line.Contains(Registered, StringComparison.Ordinal) || line.Contains(AlreadyRegistered, StringComparison.Ordinal), line);
        return line.Contains(Registered, StringComparison.Ordinal);
    }

    private static string WithoutTime(string line) => LineStart().Replace(line, string.Empty, 1);

    [GeneratedRegex(@"^\[\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d\] ")]
    private static partial Regex LineStart();

    [GeneratedRegex(@"\[revision=(\d+)\]$")]
    private static partial Regex WatchRevision();

    [GeneratedRegex(@"ServerID: (\d+),")]
    private static partial Regex ServerId();
}

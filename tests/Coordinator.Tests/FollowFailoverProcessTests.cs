using System.Text.RegularExpressions;
using Coordinator.Tests.Support;
using dotnet_etcd;
using FakeEtcd;

namespace Coordinator.Tests;

/// <summary>
/// Milvus's Coordinator HA walkthrough across real processes in virtual time: two coordinator
/// processes with <c>--clock follow</c> against a FakeEtcd on its virtual clock, a 60 s session TTL.
/// Ten healthy virtual minutes pass without a failover; a <c>kill -9</c> of the active is followed by
/// the standby's takeover exactly when the dead lease ends; every run prints the same lines.
/// </summary>
public sealed partial class FollowFailoverProcessTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ten_healthy_minutes_then_a_killed_active_is_replaced_exactly_at_its_lease_end()
    {
        var (active, standby) = await RunAsync();

        // Every 10 virtual seconds while standby: through the 10 healthy minutes and the minute after
        // the kill, up to 10:50. At 11:00 the dead lease ends first (its expiry was armed before the
        // standby's next tick), so the standby is already taking over.
        Assert.Equal(
            [.. Enumerable.Range(1, 65).Select(i => Stamp(TimeSpan.FromSeconds(10 * i)))],
            standby.Where(l => l.Contains("is in STANDBY", StringComparison.Ordinal)).Select(l => l[..32]));
        Assert.DoesNotContain(active, l => l.Contains("lost session", StringComparison.Ordinal));

        // The takeover, in Milvus's order, at the dead lease's end: last keepalive (10:00) + 60 s.
        var takeover = standby.SkipWhile(l => !l.Contains("watch the ACTIVE key", StringComparison.Ordinal) || !l.Contains("DELETE", StringComparison.Ordinal)).ToList();
        string[] order =
        [
            "[\"watch the ACTIVE key\"] [DELETE=",
            "[\"stop watching ACTIVE key by-dev/meta/session/rootcoord\"]",
            "[\"try to register as ACTIVE rootcoord service...\"]",
            "[\"register ACTIVE rootcoord\"]",
            "quit STANDBY mode, this node will become ACTIVE",
            "[\"RootCoord switch from standby to active, activating\"]",
        ];
        Assert.Equal(order, takeover.Take(order.Length).Select((l, i) => l.Contains(order[i], StringComparison.Ordinal) ? order[i] : l));
        Assert.All(takeover.Take(order.Length), l => Assert.StartsWith(Stamp(TimeSpan.FromMinutes(11)), l, StringComparison.Ordinal));
    }

    /// <summary>
    /// The standby's lines after the kill in Milvus's Coordinator HA walkthrough (milvus.io/docs/coordinator_ha.md,
    /// recorded on 2022-09-21, before 2.2.3 shipped), level and message, each with the line shipped Milvus
    /// (2.2.3 to 2.5) and this demo print for it, or null where they print none.
    /// </summary>
    private static readonly (string Level, string Documented, string? Shipped)[] Walkthrough =
    [
        ("DEBUG", "watch the ACTIVE key", "watch the ACTIVE key"),

        // The DELETE of rootcoord-15 in the same revision: that build watched the key as a prefix; shipped
        // Milvus watches the ACTIVE key alone (rootcoord is a prefix of rootcoord-15).
        ("DEBUG", "watch the ACTIVE key", null),
        ("INFO", "stop watching ACTIVE key", "stop watching ACTIVE key by-dev/meta/session/rootcoord"),
        ("INFO", "start retrying to register as ACTIVE service...", "try to register as ACTIVE rootcoord service..."),
        ("INFO", "register ACTIVE service successfully", "register ACTIVE rootcoord"),
        ("INFO", "quit STANDBY mode, this node will become ACTIVE", "serverName: rootcoord quit STANDBY mode, this node will become ACTIVE, ID: 2"),
        ("INFO", "rootcoord switch from standby to active, activating", "RootCoord switch from standby to active, activating"),
        ("INFO", "RootCoord Register Finished", "RootCoord Register Finished"),

        // Printed by the gRPC service and component wrappers (rootcoord/service.go, components/root_coord.go),
        // which the demo does not have; since 2.2.3 they follow Register at process start, not the takeover.
        ("DEBUG", "RootCoord start done ...", null),
        ("DEBUG", "RootCoord successfully started", null),
    ];

    [Fact]
    public async Task The_takeover_prints_the_coordinator_ha_walkthroughs_lines_at_its_levels_in_its_order()
    {
        var (_, standby) = await RunAsync();
        var takeover = standby.SkipWhile(l => !l.Contains("[\"watch the ACTIVE key\"] [DELETE=", StringComparison.Ordinal))
            .Select(Parse)
            .ToList();

        // Every documented line that shipped, at its level, in the walkthrough's order ...
        var shipped = Walkthrough.Where(w => w.Shipped is not null).Select(w => (w.Level, Message: w.Shipped!)).ToList();
        Assert.Equal(shipped, takeover.Where(l => shipped.Contains(l)));

        // ... and besides them only the line Milvus 2.5's activateFunc added after the walkthrough was recorded.
        Assert.Equal([("INFO", "RootCoord startup success")], takeover.Where(l => !shipped.Contains(l)));

        // While standby, the walkthrough's line every ten seconds, at its level.
        Assert.All(standby.Where(l => l.Contains("is in STANDBY", StringComparison.Ordinal)).Select(Parse), l => Assert.Equal(("INFO", "serverName: rootcoord is in STANDBY ..."), l));
    }

    [Fact]
    public async Task Twenty_runs_print_identical_logs()
    {
        var first = await RunAsync();
        for (var run = 2; run <= 20; run++)
        {
            var again = await RunAsync();
            Assert.Equal(first.Active, again.Active);
            Assert.Equal(first.Standby, again.Standby);
        }
    }

    /// <summary>
    /// The walkthrough: A then B start (A wins), 10 virtual minutes pass, A is killed, then the clock
    /// stops 1 ms before A's lease ends (B must still be standby) and steps onto it. Returns both logs.
    /// </summary>
    private static async Task<(IReadOnlyList<string> Active, IReadOnlyList<string> Standby)> RunAsync()
    {
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        var endpoint = server.ClientUrl.GetLeftPart(UriPartial.Authority);
        await using var a = CoordinatorProcess.Start(Environment(endpoint), "--clock", "follow");
        await a.WaitForLineAsync("[\"RootCoord Register Finished\"]");
        await using var b = CoordinatorProcess.Start(Environment(endpoint), "--clock", "follow");
        await b.WaitForLineAsync("start to watch ACTIVE key");
        await server.Clock.SettleAsync(Ct);

        await server.Clock.AdvanceAsync(TimeSpan.FromMinutes(10), Ct);
        using var etcd = new EtcdClient(server.CreateCallInvoker());
        var leases = await etcd.LeaseLeasesAsync(new Etcdserverpb.LeaseLeasesRequest(), cancellationToken: Ct);
        Assert.Equal(2, leases.Leases.Count);
        foreach (var lease in leases.Leases)
        {
            var ttl = await etcd.LeaseTimeToLiveAsync(new Etcdserverpb.LeaseTimeToLiveRequest { ID = lease.ID }, cancellationToken: Ct);
            Assert.Equal(60, ttl.TTL); // both renewed at the 10-minute instant: every TTL/3 of virtual time
        }

        // Right after an advance the settle guarantees the server's state; the coordinators' log
        // lines still cross a pipe, so they are awaited (their virtual stamps show when they happened).
        var activeLease = (await ActiveKeyAsync(etcd)).Lease;
        var beforeKill = b.Lines.Count;
        await a.KillAsync();
        await server.Clock.AdvanceAsync(Ttl - TimeSpan.FromMilliseconds(1), Ct);
        Assert.Equal(activeLease, (await ActiveKeyAsync(etcd)).Lease); // A's key still holds: its lease has 1 ms left
        await server.Clock.AdvanceAsync(TimeSpan.FromMilliseconds(1), Ct);
        var takenOver = await ActiveKeyAsync(etcd);
        Assert.NotEqual(activeLease, takenOver.Lease);
        Assert.Contains(takenOver.Lease, leases.Leases.Select(l => l.ID)); // B's session lease, granted before the kill
        await b.WaitForLineAsync("RootCoord Register Finished", beforeKill);
        return (a.Lines, b.Lines);
    }

    private static async Task<Mvccpb.KeyValue> ActiveKeyAsync(EtcdClient etcd) =>
        Assert.Single((await etcd.GetAsync("by-dev/meta/session/rootcoord", cancellationToken: Ct)).Kvs);

    /// <summary>The level and message of a Milvus-format line.</summary>
    private static (string Level, string Message) Parse(string line)
    {
        var match = LevelAndMessage().Match(line);
        Assert.True(match.Success, line);
        return (match.Groups[1].Value, System.Text.Json.JsonSerializer.Deserialize<string>("\"" + match.Groups[2].Value + "\"")!);
    }

    [GeneratedRegex("""^\[[^\]]+\] \[([A-Z]+)\] \[[^\]]+\] \["((?:[^"\\]|\\.)*)"\]""")]
    private static partial Regex LevelAndMessage();

    private static string Stamp(TimeSpan elapsed) =>
        (VirtualClock.DefaultStart + elapsed).ToString("'['yyyy'/'MM'/'dd HH':'mm':'ss'.'fff' +00:00]'", System.Globalization.CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Environment(string endpoint) => new()
    {
        ["ETCD_ENDPOINTS"] = endpoint,
        ["ROOT_COORD_ENABLE_ACTIVE_STANDBY"] = "true",
    };
}

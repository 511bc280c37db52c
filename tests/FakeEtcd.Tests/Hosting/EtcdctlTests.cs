using System.Diagnostics;

namespace FakeEtcd.Tests.Hosting;

/// <summary>
/// The real Go client: etcdctl with <c>--endpoints http://...</c> sends <c>:authority</c>
/// values like <c>http://127.0.0.1:PORT</c>, which Kestrel alone rejects.
/// </summary>
public class EtcdctlTests
{
    [Fact]
    public async Task EndpointStatusWithSchemeInEndpointSucceeds()
    {
        Support.Etcdctl.RequireOrSkip();
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        var (exitCode, output) = await RunAsync(Endpoint(server), "endpoint", "status", "-w", "json");

        Assert.True(exitCode == 0, output);
        Assert.Contains("\"version\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutThenGetSucceeds()
    {
        Support.Etcdctl.RequireOrSkip();
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        var (putExit, putOutput) = await RunAsync(Endpoint(server), "put", "k", "v");
        var (getExit, getOutput) = await RunAsync(Endpoint(server), "get", "k");

        Assert.True(putExit == 0, putOutput);
        Assert.True(getExit == 0, getOutput);
        Assert.Equal("k\nv\n", getOutput);
    }

    [Fact]
    public async Task EndpointHealthAndMemberListSucceed()
    {
        Support.Etcdctl.RequireOrSkip();
        await using var server = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { Name = "node1" }, TestContext.Current.CancellationToken);

        var (healthExit, health) = await RunAsync(Endpoint(server), "endpoint", "health");
        var (membersExit, members) = await RunAsync(Endpoint(server), "member", "list");
        var (statusExit, status) = await RunAsync(Endpoint(server), "endpoint", "status");

        Assert.True(healthExit == 0, health);
        Assert.StartsWith($"{Endpoint(server)} is healthy: successfully committed proposal: took = ", health, StringComparison.Ordinal);
        Assert.True(membersExit == 0, members);
        Assert.Equal($"{server.MemberId:x}, started, node1, http://localhost:2380, {Endpoint(server)}, false\n", members);
        Assert.True(statusExit == 0, status);
        Assert.StartsWith($"{Endpoint(server)}, {server.MemberId:x}, 3.5.26, 20 kB, true, false, 2, ", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoveLeaderHashAndHashKvAnswerAsOnEtcd()
    {
        Support.Etcdctl.RequireOrSkip();
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        var (moveExit, move) = await RunAsync(Endpoint(server), "move-leader", $"{server.MemberId:x}");
        var (badExit, bad) = await RunAsync(Endpoint(server), "move-leader", "12345");
        var (hashExit, hash) = await RunAsync(Endpoint(server), "endpoint", "hashkv");

        Assert.True(moveExit == 0, move);
        Assert.Equal($"Leadership transferred from {server.MemberId:x} to {server.MemberId:x}\n", move);
        Assert.Equal(1, badExit);
        Assert.EndsWith("Error: etcdserver: bad leader transferee\n", bad, StringComparison.Ordinal);
        Assert.True(hashExit == 0, hash);
        Assert.Matches($"^{Endpoint(server)}, [0-9]+\n$", hash);
    }

    [Fact]
    public async Task LeaseLifecycleOnTheVirtualClock()
    {
        Support.Etcdctl.RequireOrSkip();
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        var (_, granted) = await RunAsync(Endpoint(server), "lease", "grant", "60");
        var lease = granted.Split(' ')[1];
        await RunAsync(Endpoint(server), "put", "k", "v", "--lease=" + lease);
        var (_, before) = await RunAsync(Endpoint(server), "lease", "timetolive", lease, "--keys");
        await server.Clock.AdvanceAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        var (_, after) = await RunAsync(Endpoint(server), "lease", "timetolive", lease);
        var (_, get) = await RunAsync(Endpoint(server), "get", "k");

        Assert.Equal($"lease {lease} granted with TTL(60s)\n", granted);
        Assert.Equal($"lease {lease} granted with TTL(60s), remaining(60s), attached keys([k])\n", before);
        Assert.Equal($"lease {lease} already expired\n", after);
        Assert.Equal(string.Empty, get);
    }

    [Fact]
    public async Task WatchReplaysHistoryThroughGoClientv3()
    {
        Support.Etcdctl.RequireOrSkip();
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await RunAsync(Endpoint(server), "put", "a", "1");
        await RunAsync(Endpoint(server), "put", "a", "2");
        await RunAsync(Endpoint(server), "del", "a");

        // etcdctl watch never exits by itself: read the expected lines, then stop it.
        var start = new ProcessStartInfo(Support.Etcdctl.Path) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--endpoints", Endpoint(server), "watch", "a", "--rev=1", "--prev-kv" })
        {
            start.ArgumentList.Add(argument);
        }

        using var watch = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var lines = new List<string>();
        try
        {
            while (lines.Count < 12 && await watch.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
            }
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
        }

        Assert.Equal(["PUT", "a", "1", "PUT", "a", "1", "a", "2", "DELETE", "a", "2", "a"], lines);
    }

    private static string Endpoint(FakeEtcdServer server) => server.ClientUrl.GetLeftPart(UriPartial.Authority);

    private static Task<(int ExitCode, string Output)> RunAsync(string endpoint, params string[] arguments) =>
        Support.Etcdctl.RunAsync(["--endpoints", endpoint, .. arguments]);
}

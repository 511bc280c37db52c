using Coordinator.Tests.Support;
using FakeEtcd;

namespace Coordinator.Tests;

/// <summary>
/// Coordinator processes that fail as followers of the server's clock: one killed while an advance
/// is running never hangs it, and one that stops answering fails the advance with its name within
/// the server's follower timeout, after which the clock goes on without it.
/// </summary>
public sealed class FollowerFailureProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_coordinator_killed_during_an_advance_does_not_hang_it()
    {
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        await using var active = CoordinatorProcess.Start(Environment(server), "--clock", "follow");
        await active.WaitForLineAsync("[\"RootCoord Register Finished\"]");
        await using var standby = CoordinatorProcess.Start(Environment(server), "--clock", "follow");
        await standby.WaitForLineAsync("start to watch ACTIVE key");
        await server.Clock.SettleAsync(Ct);

        var advancing = server.Clock.AdvanceAsync(TimeSpan.FromMinutes(10), Ct);
        await standby.WaitForLineAsync("[2000/01/01 00:02:00.000 +00:00]"); // well into the advance
        await standby.KillAsync();
        await advancing.WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, Ct);

        Assert.Equal(VirtualClock.DefaultStart.AddMinutes(10), server.Clock.GetUtcNow());
        Assert.DoesNotContain(active.Lines, l => l.Contains("lost session", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_coordinator_that_stops_answering_fails_the_advance_by_name_and_the_clock_goes_on_without_it()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "the process is stopped with SIGSTOP");
        var options = new FakeEtcdServerOptions { FollowerTimeout = TimeSpan.FromSeconds(1) };
        await using var server = await FakeEtcdServer.StartAsync(options, Ct);
        await using var coordinator = CoordinatorProcess.Start(Environment(server), "--clock", "follow");
        await coordinator.WaitForLineAsync("[\"RootCoord Register Finished\"]");
        await server.Clock.SettleAsync(Ct);

        coordinator.Signal("STOP");
        try
        {
            var error = await Assert.ThrowsAsync<FollowerTimeoutException>(() => server.Clock.AdvanceAsync(TimeSpan.FromMinutes(1), Ct));
            Assert.Matches(
                $"^clock follower 'rootcoord-{coordinator.Id}' \\(f1\\) did not report tick \\d+ done within 1 s at 2000-01-01T00:00:20\\.0000000\\+00:00 \\(no timer of its fired\\); it was disconnected$",
                error.Message);
            Assert.Equal(VirtualClock.DefaultStart.AddSeconds(20), server.Clock.GetUtcNow()); // its first keepalive instant

            // Short of its lease's end (60 s), so that waking up it finds only its clock gone.
            await server.Clock.AdvanceAsync(TimeSpan.FromSeconds(30), Ct);
            Assert.Equal(VirtualClock.DefaultStart.AddSeconds(50), server.Clock.GetUtcNow());
        }
        finally
        {
            coordinator.Signal("CONT");
        }

        // Woken up, the coordinator finds it was dropped: it stops (revoking its lease) and says why.
        Assert.Equal(1, await coordinator.WaitForExitAsync());
        Assert.StartsWith(
            $"error: lost the clock of {server.ClientUrl.Authority}: DeadlineExceeded: clock follower 'rootcoord-{coordinator.Id}' (f1) did not report tick",
            Assert.Single(coordinator.ErrorLines),
            StringComparison.Ordinal);
        Assert.Contains(coordinator.Lines, l => l.EndsWith("[\"session stopped: rootcoord, ServerID: 1\"]", StringComparison.Ordinal));
    }

    private static Dictionary<string, string> Environment(FakeEtcdServer server) => new()
    {
        ["ETCD_ENDPOINTS"] = server.ClientUrl.GetLeftPart(UriPartial.Authority),
        ["ROOT_COORD_ENABLE_ACTIVE_STANDBY"] = "true",
    };
}

using dotnet_etcd;
using Grpc.Core;

namespace FakeEtcd.Tests.Followers;

/// <summary>A follower's clock is the server's: its now, its timers, and the server's advance waits for it.</summary>
public sealed class RemoteVirtualClockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Now_is_the_server_now_from_the_start_and_after_each_advance()
    {
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        await server.Clock.AdvanceAsync(TimeSpan.FromSeconds(3), Ct);
        await using var follower = await RemoteVirtualClock.ConnectAsync(server.ClientUrl, cancellationToken: Ct);
        Assert.Equal(VirtualClock.DefaultStart + TimeSpan.FromSeconds(3), follower.GetUtcNow()); // connected mid-run

        await server.Clock.AdvanceAsync(TimeSpan.FromSeconds(2.5), Ct);
        Assert.Equal(VirtualClock.DefaultStart + TimeSpan.FromSeconds(5.5), follower.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(2.5), follower.GetElapsedTime(follower.GetTimestamp() - TimeSpan.FromSeconds(2.5).Ticks));
    }

    [Fact]
    public async Task Task_Delay_completes_at_its_instant_and_not_a_tick_before()
    {
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        await using var follower = await RemoteVirtualClock.ConnectAsync(server.ClientUrl, cancellationToken: Ct);
        var delay = Task.Delay(TimeSpan.FromSeconds(10), follower, Ct);

        await server.Clock.AdvanceAsync(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1), Ct);
        Assert.False(delay.IsCompleted);
        await server.Clock.AdvanceAsync(TimeSpan.FromTicks(1), Ct);
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Timers_of_the_follower_and_the_server_fire_in_due_order_each_at_its_instant()
    {
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        await using var follower = await RemoteVirtualClock.ConnectAsync(server.ClientUrl, cancellationToken: Ct);
        var fired = new List<(string Who, DateTimeOffset At)>();
        void Record(string who, TimeProvider clock)
        {
            lock (fired)
            {
                fired.Add((who, clock.GetUtcNow()));
            }
        }

        using var periodic = follower.CreateTimer(_ => Record("follower every 2 s", follower), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        using var once = follower.CreateTimer(_ => Record("follower once at 3 s", follower), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using var own = server.Clock.CreateTimer(_ => Record("server at 5 s", server.Clock), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        using var disarmed = follower.CreateTimer(_ => Record("disarmed", follower), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        disarmed.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        await server.Clock.AdvanceAsync(TimeSpan.FromSeconds(6), Ct);

        var start = VirtualClock.DefaultStart;
        Assert.Equal(
            [
                ("follower every 2 s", start.AddSeconds(2)),
                ("follower once at 3 s", start.AddSeconds(3)),
                ("follower every 2 s", start.AddSeconds(4)),
                ("server at 5 s", start.AddSeconds(5)),
                ("follower every 2 s", start.AddSeconds(6)),
            ],
            fired);
        Assert.Equal(start.AddSeconds(6), follower.GetUtcNow());
    }

    [Fact]
    public async Task A_cancellation_token_source_on_the_follower_cancels_at_its_instant()
    {
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        await using var follower = await RemoteVirtualClock.ConnectAsync(server.ClientUrl, cancellationToken: Ct);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30), follower);

        await server.Clock.AdvanceAsync(TimeSpan.FromSeconds(29.999), Ct);
        Assert.False(cts.IsCancellationRequested);
        await server.Clock.AdvanceAsync(TimeSpan.FromMilliseconds(1), Ct);
        Assert.True(cts.IsCancellationRequested);
    }

    [Fact]
    public async Task A_follower_that_puts_on_its_timer_has_its_put_committed_when_the_advance_returns()
    {
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        await using var follower = await RemoteVirtualClock.ConnectAsync(server.ClientUrl, cancellationToken: Ct);
        using var client = new EtcdClient(follower.CallInvoker);
        async Task PutEveryTenSecondsAsync()
        {
            for (var i = 1; i <= 3; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), follower, Ct);
                await client.PutAsync("tick", i.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken: Ct);
            }
        }

        // Started inline, so its first timer is armed before the advance below: a Task.Run could
        // start it after the advance on a loaded machine, and nothing counts a queued work item.
        var chain = PutEveryTenSecondsAsync();

        for (var i = 1; i <= 3; i++)
        {
            await server.Clock.AdvanceAsync(TimeSpan.FromSeconds(10), Ct);
            var got = await new EtcdClient(server.CreateCallInvoker()).GetValAsync("tick", cancellationToken: Ct);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), got);
        }

        await chain;
    }

    [Fact]
    public async Task A_follower_that_goes_away_takes_its_timers_and_the_clock_goes_on()
    {
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        var follower = await RemoteVirtualClock.ConnectAsync(server.ClientUrl, cancellationToken: Ct);
        var fired = false;
        using var timer = follower.CreateTimer(_ => fired = true, null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        await server.Clock.SettleAsync(Ct);
        Assert.Equal(1, server.Clock.PendingTimers);

        await follower.DisposeAsync();
        await server.Clock.AdvanceAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.False(fired);
        Assert.Equal(0, server.Clock.PendingTimers);
        Assert.Equal(VirtualClock.DefaultStart.AddSeconds(20), server.Clock.GetUtcNow());
    }

    [Fact]
    public async Task A_server_on_the_system_clock_cannot_be_followed()
    {
        await using var server = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { TimeProvider = TimeProvider.System }, Ct);
        var error = await Assert.ThrowsAsync<RpcException>(() => RemoteVirtualClock.ConnectAsync(server.ClientUrl, cancellationToken: Ct));
        Assert.Equal(
            (StatusCode.FailedPrecondition, "the server runs on the system clock; start it with --clock virtual"),
            (error.StatusCode, error.Status.Detail));
    }
}

using EtcdProtocol.Control;
using Grpc.Core;

namespace FakeEtcd.Tests.Followers;

/// <summary>
/// The Follow protocol under bad input and bad followers: a clear status for the follower at fault,
/// nothing else changes, and the clock never hangs on a follower that is gone or stuck.
/// </summary>
public sealed class FollowProtocolErrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Malformed => new()
    {
        { "no hello first", "the first request must be hello, not Arm" },
        { "second hello", "hello was already sent" },
        { "empty request", "empty request" },
        { "timer id 0", "timer id must be > 0" },
        { "negative due", "timer 1: due instant must not be negative (-5)" },
        { "disarm never armed", "timer 7 was never armed" },
        { "done for no tick", "tick 99 is not pending" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Malformed_requests_end_that_follower_with_invalid_argument_and_change_nothing_else(string what, string detail)
    {
        FollowRequest[] requests = what switch
        {
            "no hello first" => [new FollowRequest { Arm = new ArmTimer { TimerId = 1, DueUnixNanos = 0 } }],
            "second hello" => [Hello(), Hello()],
            "empty request" => [Hello(), new FollowRequest()],
            "timer id 0" => [Hello(), new FollowRequest { Arm = new ArmTimer { TimerId = 0, DueUnixNanos = 0 } }],
            "negative due" => [Hello(), new FollowRequest { Arm = new ArmTimer { TimerId = 1, DueUnixNanos = -5 } }],
            "disarm never armed" => [Hello(), new FollowRequest { Disarm = new DisarmTimer { TimerId = 7 } }],
            "done for no tick" => [Hello(), new FollowRequest { Done = new TickDone { Tick = 99 } }],
            _ => throw new ArgumentOutOfRangeException(nameof(what), what, null),
        };
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        await using var bystander = await RemoteVirtualClock.ConnectAsync(server.ClientUrl, cancellationToken: Ct);
        var delay = Task.Delay(TimeSpan.FromSeconds(5), bystander, Ct); // on the follower's virtual clock, not the wall clock
        await server.Clock.SettleAsync(Ct);

        using var follow = Control(server).Follow(cancellationToken: Ct);
        foreach (var request in requests)
        {
            await follow.RequestStream.WriteAsync(request, Ct);
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await follow.ResponseStream.MoveNext(Ct))
            {
            }
        });
        Assert.Equal((StatusCode.InvalidArgument, detail), (error.StatusCode, error.Status.Detail));

        // The bystander's timer is the only one; the clock and the bystander go on as before.
        Assert.Equal(1, server.Clock.PendingTimers);
        await server.Clock.AdvanceAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.True(delay.IsCompletedSuccessfully, what);
        Assert.Equal(VirtualClock.DefaultStart.AddSeconds(5), bystander.GetUtcNow());
    }

    [Fact]
    public async Task A_follower_that_stops_answering_fails_the_advance_by_name_and_is_disconnected()
    {
        var options = new FakeEtcdServerOptions { FollowerTimeout = TimeSpan.FromMilliseconds(300) };
        await using var server = await FakeEtcdServer.StartAsync(options, Ct);
        using var stuck = Control(server).Follow(cancellationToken: Ct);
        await stuck.RequestStream.WriteAsync(Hello("stuck"), Ct);
        Assert.True(await stuck.ResponseStream.MoveNext(Ct));
        Assert.Equal("f1", stuck.ResponseStream.Current.Welcome.FollowerId);
        var due = (VirtualClock.DefaultStart.AddSeconds(2) - DateTimeOffset.UnixEpoch).Ticks * 100;
        await stuck.RequestStream.WriteAsync(new FollowRequest { Arm = new ArmTimer { TimerId = 1, DueUnixNanos = due } }, Ct);

        // Ticks 1 (the advance's opening settle, at 0 s) and 2 (the clock reaching 2 s, before anything
        // fires there) are answered; tick 3, which fires its timer, is not.
        var advancing = server.Clock.AdvanceAsync(TimeSpan.FromSeconds(10), Ct);
        foreach (var (number, at) in new[] { (1UL, 0), (2UL, 2) })
        {
            Assert.True(await stuck.ResponseStream.MoveNext(Ct));
            var tick = stuck.ResponseStream.Current.Tick;
            Assert.Equal((number, 0UL, (VirtualClock.DefaultStart.AddSeconds(at) - DateTimeOffset.UnixEpoch).Ticks * 100), (tick.Number, tick.Fire, tick.UnixNanos));
            await stuck.RequestStream.WriteAsync(new FollowRequest { Done = new TickDone { Tick = number } }, Ct);
        }

        Assert.True(await stuck.ResponseStream.MoveNext(Ct));
        Assert.Equal((3UL, 1UL), (stuck.ResponseStream.Current.Tick.Number, stuck.ResponseStream.Current.Tick.Fire));

        var failed = await Assert.ThrowsAsync<FollowerTimeoutException>(() => advancing);
        const string Expected = "clock follower 'stuck' (f1) did not report tick 3 done within 0.3 s after its timer 1 fired at 2000-01-01T00:00:02.0000000+00:00; it was disconnected";
        Assert.Equal(Expected, failed.Message);
        Assert.Equal(VirtualClock.DefaultStart.AddSeconds(2), server.Clock.GetUtcNow()); // stopped where it got to
        var disconnected = await Assert.ThrowsAsync<RpcException>(() => stuck.ResponseStream.MoveNext(Ct));
        Assert.Equal((StatusCode.DeadlineExceeded, Expected), (disconnected.StatusCode, disconnected.Status.Detail));

        await server.Clock.AdvanceAsync(TimeSpan.FromSeconds(8), Ct); // usable again, without it
        Assert.Equal(VirtualClock.DefaultStart.AddSeconds(10), server.Clock.GetUtcNow());
    }

    [Fact]
    public async Task The_control_api_reports_a_stuck_follower_as_deadline_exceeded()
    {
        var options = new FakeEtcdServerOptions { FollowerTimeout = TimeSpan.FromMilliseconds(200) };
        await using var server = await FakeEtcdServer.StartAsync(options, Ct);
        using var stuck = Control(server).Follow(cancellationToken: Ct);
        await stuck.RequestStream.WriteAsync(Hello("mute"), Ct);
        Assert.True(await stuck.ResponseStream.MoveNext(Ct));

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Control(server).AdvanceAsync(new AdvanceRequest { Nanos = 1_000_000_000 }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(
            (StatusCode.DeadlineExceeded, "clock follower 'mute' (f1) did not report tick 1 done within 0.2 s at 2000-01-01T00:00:00.0000000+00:00 (no timer of its fired); it was disconnected"),
            (error.StatusCode, error.Status.Detail));
        var state = await Control(server).AdvanceAsync(new AdvanceRequest { Nanos = 1_000_000_000 }, cancellationToken: Ct);
        Assert.Equal(1_000_000_000, state.ElapsedNanos);
    }

    // A channel of its own with default options, as a follower in another process has: the fixture's
    // counted invokers would make the settle wait for the follower's own stream, and its channels
    // turn DEADLINE_EXCEEDED into OperationCanceledException.
    private static EtcdProtocol.Control.Clock.ClockClient Control(FakeEtcdServer server) =>
        new(global::Grpc.Net.Client.GrpcChannel.ForAddress(server.ClientUrl));

    private static FollowRequest Hello(string name = "raw") => new() { Hello = new FollowHello { Name = name } };
}

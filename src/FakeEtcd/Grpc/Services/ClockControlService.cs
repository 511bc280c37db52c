using EtcdProtocol.Control;
using FakeEtcd.Apply;
using FakeEtcd.Clock;
using FakeEtcd.Grpc.Follow;
using Grpc.Core;

namespace FakeEtcd.Grpc.Services;

/// <summary>fakeetcd.v1.Clock: time control over gRPC for out-of-process tests.</summary>
internal sealed class ClockControlService(ServerClock clock, Applier applier, FollowerHub? followers = null) : EtcdProtocol.Control.Clock.ClockBase
{
    public override Task<ClockState> Now(NowRequest request, ServerCallContext context) => Task.FromResult(State());

    public override async Task<ClockState> Advance(AdvanceRequest request, ServerCallContext context)
    {
        if (request.Nanos < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "advance duration must not be negative"));
        }

        try
        {
            await Virtual().AdvanceAsync(TimeSpan.FromTicks(request.Nanos / 100), context.CancellationToken).ConfigureAwait(false);
        }
        catch (FollowerTimeoutException e)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, e.Message));
        }

        return State();
    }

    public override Task Follow(IAsyncStreamReader<FollowRequest> requestStream, IServerStreamWriter<FollowResponse> responseStream, ServerCallContext context)
    {
        _ = Virtual();
        return FollowSession.RunAsync(followers!, requestStream, responseStream, context.CancellationToken);
    }

    public override Task<ClockState> SetTimeScale(SetTimeScaleRequest request, ServerCallContext context)
    {
        if (request.Scale < 0 || double.IsNaN(request.Scale) || double.IsInfinity(request.Scale))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "time scale must be a finite number >= 0"));
        }

        clock.SetScale(Virtual(), request.Scale);
        return Task.FromResult(State());
    }

    private VirtualClock Virtual() => clock.Virtual
        ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, "the server runs on the system clock; start it with --clock virtual"));

    private ClockState State()
    {
        var now = clock.Time.GetUtcNow();
        return new ClockState
        {
            Virtual = clock.Virtual is not null,
            UnixNanos = (now - DateTimeOffset.UnixEpoch).Ticks * 100,
            ElapsedNanos = clock.Virtual is { } virtualClock ? virtualClock.Elapsed.Ticks * 100 : 0,
            TimeScale = clock.Virtual is not null ? clock.Scale : 1,
            Revision = applier.CurrentRevision,
        };
    }
}

using EtcdProtocol.Control;
using FakeEtcd.Cluster;
using FakeEtcd.Grpc.Follow;
using FakeEtcd.Hosting;
using Grpc.Core;

namespace FakeEtcd.Grpc;

/// <summary>fakeetcd.v1.Clock: time control over gRPC for out-of-process tests.</summary>
internal sealed class ClockControlService(EtcdNode node, ClockDriverHolder driver, FollowerHub? followers = null) : EtcdProtocol.Control.Clock.ClockBase
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

        driver.SetScale(Virtual(), request.Scale);
        return Task.FromResult(State());
    }

    private VirtualClock Virtual() => node.Clock as VirtualClock
        ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, "the server runs on the system clock; start it with --clock virtual"));

    private ClockState State()
    {
        var now = node.Clock.GetUtcNow();
        return new ClockState
        {
            Virtual = node.Clock is VirtualClock,
            UnixNanos = (now - DateTimeOffset.UnixEpoch).Ticks * 100,
            ElapsedNanos = node.Clock is VirtualClock clock ? clock.Elapsed.Ticks * 100 : 0,
            TimeScale = node.Clock is VirtualClock ? driver.Scale : 1,
            Revision = node.Applier.CurrentRevision,
        };
    }
}

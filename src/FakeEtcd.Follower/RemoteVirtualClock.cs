using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using EtcdProtocol.Control;
using FakeEtcd.Clock;
using FakeEtcd.Follower;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace FakeEtcd;

/// <summary>
/// A <see cref="TimeProvider"/> that follows a FakeEtcd server's virtual clock from another process
/// (the server started with <c>--clock virtual</c>): <see cref="GetUtcNow"/> is the server's virtual
/// now and timers (<c>Task.Delay</c>, <c>PeriodicTimer</c>, <c>CancellationTokenSource</c> delays) are
/// the server's, fired when its clock reaches them. Make etcd calls through <see cref="CallInvoker"/>:
/// the server's advance then waits for their answers to be read, and for what the process does next,
/// before it moves on, as it does for its in-process clients.
/// </summary>
public sealed class RemoteVirtualClock : TimeProvider, IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<FollowRequest, FollowResponse> _follow;
    private readonly Channel<FollowRequest> _outgoing = Channel.CreateUnbounded<FollowRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly FollowerActivity _activity = new();
    private readonly FollowerStreams _streams;
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, FollowerTimer> _timers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _quietPeriod;
    private readonly TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _now;
    private long _nextTimerId;
    private long _reportedEpoch;
    private Task _reading = Task.CompletedTask;
    private Task _writing = Task.CompletedTask;

    private RemoteVirtualClock(GrpcChannel channel, AsyncDuplexStreamingCall<FollowRequest, FollowResponse> follow, FollowWelcome welcome, TimeSpan quietPeriod)
    {
        _channel = channel;
        _follow = follow;
        _quietPeriod = quietPeriod;
        _now = FromUnixNanos(welcome.UnixNanos);
        FollowerId = welcome.FollowerId;
        _streams = new FollowerStreams(_activity, (call, read) => Send(new FollowRequest { CallEnded = new CallEnded { Call = call, Received = read } }));
        CallInvoker = channel.CreateCallInvoker().Intercept(new CountedCallInterceptor(_activity, _streams, welcome.FollowerId, welcome.CallHeader));
    }

    /// <summary>The id the server gave this follower (it names it in errors).</summary>
    public string FollowerId { get; }

    /// <summary>Calls to the server (etcd's API, e.g. <c>new EtcdClient(clock.CallInvoker)</c>) that the server's advance waits for.</summary>
    public CallInvoker CallInvoker { get; }

    /// <summary>
    /// Completes when the server is no longer followed: the connection ended, or the server
    /// disconnected this follower (then it faults with the server's reason, e.g. a tick not reported
    /// done in time). Timers do not fire after that.
    /// </summary>
    public Task Disconnected => _disconnected.Task;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Connects to the server at <paramref name="endpoint"/> (its client URL) and starts following its clock.</summary>
    /// <exception cref="RpcException">FAILED_PRECONDITION when the server runs on the system clock; UNAVAILABLE when it cannot be reached.</exception>
    public static async Task<RemoteVirtualClock> ConnectAsync(Uri endpoint, RemoteVirtualClockOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new RemoteVirtualClockOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QuietPeriod, TimeSpan.Zero);
        var channel = GrpcChannel.ForAddress(endpoint, options.ChannelOptions ?? new GrpcChannelOptions());
        try
        {
            var follow = new EtcdProtocol.Control.Clock.ClockClient(channel).Follow(cancellationToken: CancellationToken.None);
            var name = options.Name ?? $"{Process.GetCurrentProcess().ProcessName}-{Environment.ProcessId}";
            try
            {
                await follow.RequestStream.WriteAsync(new FollowRequest { Hello = new FollowHello { Name = name } }, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException) when (!cancellationToken.IsCancellationRequested)
            {
                // The server may end the call (a system-clock server's FailedPrecondition) before the hello is
                // written; the write then fails without the reason, which the response read below throws.
            }

            if (!await follow.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false) || follow.ResponseStream.Current.KindCase != FollowResponse.KindOneofCase.Welcome)
            {
                throw new RpcException(new Status(StatusCode.Internal, "the server did not welcome the follower"));
            }

            var clock = new RemoteVirtualClock(channel, follow, follow.ResponseStream.Current.Welcome, options.QuietPeriod);
            clock.Start();
            return clock;
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp() => (GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new FollowerTimer(this, (ulong)Interlocked.Increment(ref _nextTimerId), callback, state);
        Change(timer, dueTime, period);
        return timer;
    }

    /// <summary>Stops following: the server forgets this follower's timers and goes on without it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        // What is queued (disarms of timers disposed just before) goes out first, then the stream ends.
        _outgoing.Writer.TryComplete();
        try
        {
            await _writing.WaitAsync(TimeSpan.FromSeconds(1), TimeProvider.System).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException or ObjectDisposedException or TimeoutException or InvalidOperationException)
        {
            // The connection may be gone already.
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _follow.Dispose();
        try
        {
            await Task.WhenAll(_reading, _writing).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopping ends both loops one way or another.
        }

        _channel.Dispose();
        _disconnected.TrySetResult();
        _stop.Dispose();
    }

    internal bool Change(FollowerTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        }

        FollowRequest request;
        lock (_gate)
        {
            if (timer.Disposed)
            {
                return false;
            }

            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                if (!_timers.Remove(timer.Id))
                {
                    return true;
                }

                timer.Due = null;
                request = new FollowRequest { Disarm = new DisarmTimer { TimerId = timer.Id } };
            }
            else
            {
                (timer.Due, timer.Period) = (_now + dueTime, period);
                _timers[timer.Id] = timer;
                request = new FollowRequest { Arm = new ArmTimer { TimerId = timer.Id, DueUnixNanos = ToUnixNanos(timer.Due.Value) } };
            }
        }

        Send(request);
        _activity.Touched();
        return true;
    }

    private static DateTimeOffset FromUnixNanos(long nanos) => DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(nanos / 100);

    private static long ToUnixNanos(DateTimeOffset instant) => (instant - DateTimeOffset.UnixEpoch).Ticks * 100;

    private void Send(FollowRequest request) => _outgoing.Writer.TryWrite(request);

    private void Start()
    {
        _writing = WriteAsync();
        _reading = ReadAsync();
    }

    private async Task WriteAsync()
    {
        await foreach (var request in _outgoing.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
        {
            await _follow.RequestStream.WriteAsync(request, _stop.Token).ConfigureAwait(false);
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await _follow.ResponseStream.MoveNext(_stop.Token).ConfigureAwait(false))
            {
                if (_follow.ResponseStream.Current.KindCase == FollowResponse.KindOneofCase.Tick)
                {
                    await OnTickAsync(_follow.ResponseStream.Current.Tick).ConfigureAwait(false);
                }
            }

            _disconnected.TrySetResult();
        }
        catch (RpcException e) when (!_stop.IsCancellationRequested)
        {
            _disconnected.TrySetException(e);
        }
        catch (OperationCanceledException)
        {
            _disconnected.TrySetResult();
        }
        finally
        {
            _outgoing.Writer.TryComplete();
        }
    }

    private async Task OnTickAsync(Tick tick)
    {
        FollowerTimer? fired = null;
        lock (_gate)
        {
            var now = FromUnixNanos(tick.UnixNanos);
            _now = now > _now ? now : _now;
            if (tick.Fire != 0 && _timers.Remove(tick.Fire, out fired))
            {
                fired.Due = null;
                if (fired.Period > TimeSpan.Zero && fired.Period != Timeout.InfiniteTimeSpan)
                {
                    fired.Due = _now + fired.Period;
                    _timers[fired.Id] = fired;
                    Send(new FollowRequest { Arm = new ArmTimer { TimerId = fired.Id, DueUnixNanos = ToUnixNanos(fired.Due.Value) } });
                }
            }
        }

        if (fired is not null)
        {
            _activity.Touched();
            Invoke(fired);
        }

        await SettleAsync(tick.Sent).ConfigureAwait(false);
        var epoch = _activity.Epoch;
        var active = fired is not null || epoch != _reportedEpoch;
        _reportedEpoch = epoch;
        Send(new FollowRequest { Done = new TickDone { Tick = tick.Number, Active = active, Written = _streams.Written, Received = _activity.Received } });
    }

    /// <summary>Waits until the server's messages are read, no call is in flight, and a quiet period passes with nothing new and nothing queued.</summary>
    private async Task SettleAsync(ulong sent)
    {
        while (true)
        {
            await _activity.WhenCaughtUpAsync(sent, _stop.Token).ConfigureAwait(false);
            var epoch = _activity.Epoch;
            for (var round = 0; round < 4; round++)
            {
                await Task.Yield();
            }

            if (_quietPeriod > TimeSpan.Zero)
            {
                await PreciseDelay.WaitAsync(_quietPeriod, _stop.Token).ConfigureAwait(false);
            }

            // A continuation still queued for a pool thread (a loaded machine) is work not yet started.
            // Work already running needs no check here: a call or message stays counted until its
            // caller has run on from it (CallerHandover).
            if (_activity.Epoch == epoch && _activity.IsCaughtUp(sent) && ThreadPool.PendingWorkItemCount == 0)
            {
                return;
            }
        }
    }

    private static void Invoke(FollowerTimer timer)
    {
        try
        {
            timer.Fire();
        }
        catch (Exception e)
        {
            // As with a system timer, a callback's exception is unhandled: rethrown on the pool.
            var captured = ExceptionDispatchInfo.Capture(e);
            ThreadPool.UnsafeQueueUserWorkItem(_ => captured.Throw(), null);
        }
    }
}

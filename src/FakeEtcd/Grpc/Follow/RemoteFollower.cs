using System.Globalization;
using System.Threading.Channels;
using EtcdProtocol.Control;
using FakeEtcd.Clock;
using Grpc.Core;

namespace FakeEtcd.Grpc.Follow;

/// <summary>
/// One process following the clock: its timers (on the server's clock, so they order with the
/// server's own), the stream messages the server wrote on its calls, and the tick it owes an answer to.
/// </summary>
internal sealed class RemoteFollower
{
    private readonly FollowerHub _hub;
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, VirtualTimer> _timers = [];
    private readonly Dictionary<ulong, CallCount> _calls = [];

    // Running totals over _calls, so that a settle's check does not walk every call the follower made.
    private ulong _sent;
    private ulong _readOnLiveCalls;
    private readonly Channel<FollowResponse> _outgoing = Channel.CreateUnbounded<FollowResponse>(new UnboundedChannelOptions { SingleReader = true });
    private ulong _tick;
    private ulong _due;
    private ulong _highestTimerId;
    private DateTimeOffset? _told;
    private ulong _acknowledged;
    private ulong _written;
    private bool _active;
    private PendingTick? _pending;
    private bool _gone;

    public RemoteFollower(FollowerHub hub, string id, string name)
    {
        _hub = hub;
        Id = id;
        Name = name;
    }

    public string Id { get; }

    public string Name { get; }

    /// <summary>Why the server disconnected the follower, if it did.</summary>
    public RpcException? DisconnectReason { get; private set; }

    /// <summary>What the server sends the follower, in order; completed when the follower is gone.</summary>
    public ChannelReader<FollowResponse> Outgoing => _outgoing.Reader;

    public FollowWelcome Welcome() => new()
    {
        FollowerId = Id,
        UnixNanos = UnixNanos(_hub.Clock.GetUtcNow()),
        CallHeader = FollowerHub.CallHeader,
    };

    public void Arm(ulong timerId, long dueUnixNanos)
    {
        if (timerId == 0)
        {
            throw Invalid("timer id must be > 0");
        }

        if (dueUnixNanos < 0)
        {
            throw Invalid($"timer {timerId}: due instant must not be negative ({dueUnixNanos})");
        }

        lock (_gate)
        {
            if (_gone)
            {
                return; // disconnected while this request was on its way
            }

            if (!_timers.TryGetValue(timerId, out var timer))
            {
                timer = new VirtualTimer(_hub.Clock, _ => Due(timerId), null);
                _timers[timerId] = timer;
            }

            _highestTimerId = Math.Max(_highestTimerId, timerId);

            // Under the follower's lock, so a disconnect cannot slip in between and leave it armed.
            _hub.Clock.ArmAt(timer, DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(dueUnixNanos / 100));
        }
    }

    public void Disarm(ulong timerId)
    {
        VirtualTimer? timer;
        lock (_gate)
        {
            if (timerId == 0 || timerId > _highestTimerId)
            {
                throw Invalid($"timer {timerId} was never armed");
            }

            // A timer that fired is forgotten, so disarming it (the follower may not know yet) is a no-op.
            _timers.Remove(timerId, out timer);
        }

        timer?.Dispose();
    }

    /// <summary>The server read a message the follower wrote on <paramref name="call"/>.</summary>
    public void Read(ulong call)
    {
        lock (_gate)
        {
            if (_calls.TryGetValue(call, out var count) && !count.Ended)
            {
                count.Read++;
                _readOnLiveCalls++;
            }
        }
    }

    public void Done(ulong tick, bool active, ulong written, ulong received)
    {
        PendingTick? pending;
        lock (_gate)
        {
            pending = _pending;
            if (pending is null || pending.Tick != tick)
            {
                throw Invalid($"tick {tick} is not pending");
            }

            (_pending, _active, _written, _acknowledged) = (null, active || pending.Fired != 0, written, received);
        }

        pending.Done.TrySetResult();
    }

    /// <summary>See <see cref="ISettleParticipant.NeedsTick"/>.</summary>
    public bool NeedsTick(DateTimeOffset now)
    {
        lock (_gate)
        {
            return !_gone && (_told != now || _due != 0 || _active || _sent > _acknowledged || _written > _readOnLiveCalls);
        }
    }

    /// <summary>A streaming call of this follower started on the server.</summary>
    public void CallStarted(ulong call)
    {
        lock (_gate)
        {
            _calls.TryAdd(call, new CallCount());
        }
    }

    /// <summary>The server is about to write a message on <paramref name="call"/>: the follower must read it before it is done.</summary>
    public void Sending(ulong call)
    {
        lock (_gate)
        {
            if (_calls.TryGetValue(call, out var count) && !count.Ended)
            {
                count.Sent++;
                _sent++;
            }
        }
    }

    /// <summary>The follower will read no more on <paramref name="call"/>: from now on it counts what the follower read.</summary>
    public void CallEnded(ulong call, ulong received)
    {
        lock (_gate)
        {
            // The server may not have seen the call start yet (a stream the follower dropped at once).
            if (!_calls.TryGetValue(call, out var count))
            {
                _calls[call] = count = new CallCount();
            }

            if (!count.Ended)
            {
                _readOnLiveCalls -= count.Read;
            }

            _sent = _sent - count.Sent + received;
            (count.Sent, count.Ended) = (received, true);
        }
    }

    /// <summary>Sends a tick at <paramref name="now"/> and waits (bounded) for the follower's report.</summary>
    public async Task TickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        PendingTick pending;
        lock (_gate)
        {
            if (_gone)
            {
                return;
            }

            pending = new PendingTick(++_tick, _due);
            (_due, _told) = (0, now);
            _pending = pending;
            _outgoing.Writer.TryWrite(new FollowResponse
            {
                Tick = new Tick { Number = pending.Tick, UnixNanos = UnixNanos(now), Fire = pending.Fired, Sent = _sent },
            });
        }

        try
        {
            await pending.Done.Task.WaitAsync(_hub.Timeout, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var what = pending.Fired != 0
                ? $"after its timer {pending.Fired} fired at {now.ToString("O", CultureInfo.InvariantCulture)}"
                : $"at {now.ToString("O", CultureInfo.InvariantCulture)} (no timer of its fired)";
            var message = $"clock follower '{Name}' ({Id}) did not report tick {pending.Tick} done within {_hub.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s {what}; it was disconnected";
            Leave(new RpcException(new Status(StatusCode.DeadlineExceeded, message)));
            throw new FollowerTimeoutException(message);
        }
    }

    /// <summary>The follower is gone (its stream ended, or it was disconnected): its timers go, the clock goes on.</summary>
    public void Leave(RpcException? reason = null)
    {
        List<VirtualTimer> timers;
        PendingTick? pending;
        lock (_gate)
        {
            if (_gone)
            {
                return;
            }

            _gone = true;
            DisconnectReason = reason;
            timers = [.. _timers.Values];
            _timers.Clear();
            (pending, _pending) = (_pending, null);
            _outgoing.Writer.TryComplete();
        }

        _hub.Leave(this);
        foreach (var timer in timers)
        {
            timer.Dispose();
        }

        pending?.Done.TrySetResult();
    }

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));

    private static long UnixNanos(DateTimeOffset instant) => (instant - DateTimeOffset.UnixEpoch).Ticks * 100;

    private void Due(ulong timerId)
    {
        lock (_gate)
        {
            // The clock fires one timer per step and ticks every follower after it, so at most one is due.
            if (_timers.Remove(timerId))
            {
                _due = timerId;
            }
        }
    }

    private sealed class CallCount
    {
        public ulong Sent { get; set; }

        public ulong Read { get; set; }

        public bool Ended { get; set; }
    }

    private sealed record PendingTick(ulong Tick, ulong Fired)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

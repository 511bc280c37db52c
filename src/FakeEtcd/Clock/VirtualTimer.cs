namespace FakeEtcd.Clock;

/// <summary>A timer on a <see cref="VirtualClock"/>: it fires only when the clock is advanced past its due time.</summary>
internal sealed class VirtualTimer(VirtualClock clock, TimerCallback callback, object? state) : ITimer
{
    /// <summary>When the timer is next due, or null when it is disarmed.</summary>
    public DateTimeOffset? Due { get; set; }

    public TimeSpan Period { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>Arming order: ties in due time fire in this order.</summary>
    public long Sequence { get; set; }

    public bool Change(TimeSpan dueTime, TimeSpan period) => clock.Arm(this, dueTime, period);

    /// <summary>Runs the callback as a <see cref="CallerSegment"/>: answers to calls it starts wait for it to return.</summary>
    public void Fire() => CallerSegment.Run((callback, state), static t => t.callback(t.state));

    public void Dispose() => clock.Arm(this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}

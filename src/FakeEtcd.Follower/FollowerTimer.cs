namespace FakeEtcd.Follower;

/// <summary>A timer of a <see cref="RemoteVirtualClock"/>: armed on the server's clock, fired when the server says so.</summary>
internal sealed class FollowerTimer(RemoteVirtualClock clock, ulong id, TimerCallback callback, object? state) : ITimer
{
    public ulong Id => id;

    /// <summary>When the timer is next due on the server's clock, or null when it is disarmed.</summary>
    public DateTimeOffset? Due { get; set; }

    public TimeSpan Period { get; set; } = Timeout.InfiniteTimeSpan;

    public bool Disposed { get; set; }

    public bool Change(TimeSpan dueTime, TimeSpan period) => clock.Change(this, dueTime, period);

    public void Fire() => callback(state);

    public void Dispose()
    {
        clock.Change(this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Disposed = true;
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}

namespace FakeEtcd.Benchmarks.Failover;

/// <summary>
/// The sessions' view of the virtual clock, counting how many of their timer callbacks fire
/// (keepalives, lease deadlines, the standby log ticker): each firing costs the advance one settle.
/// </summary>
internal sealed class CountingTimeProvider(TimeProvider inner) : TimeProvider
{
    private long _firings;

    public long Firings => Interlocked.Read(ref _firings);

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(
            s =>
            {
                Interlocked.Increment(ref _firings);
                callback(s);
            },
            state,
            dueTime,
            period);
}

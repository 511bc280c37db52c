namespace FakeEtcd.Leases;

/// <summary>
/// One timer on the server's clock, always armed for the earliest lease deadline. When it fires the
/// apply path revokes every lease that is due, then re-arms it for the next deadline, so expiry
/// follows the clock exactly (a virtual clock fires it at the deadline to the tick).
/// </summary>
internal sealed class LeaseExpiryTimer : IDisposable
{
    private readonly TimeProvider _clock;
    private readonly ITimer _timer;

    public LeaseExpiryTimer(TimeProvider clock, Action expireDue)
    {
        _clock = clock;
        _timer = clock.CreateTimer(_ => expireDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Arms the timer for <paramref name="deadline"/>, or disarms it when there is none.</summary>
    public void Schedule(DateTimeOffset? deadline)
    {
        if (deadline is not { } due)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var wait = due - _clock.GetUtcNow();
        _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _timer.Dispose();
}

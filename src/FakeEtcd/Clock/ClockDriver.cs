namespace FakeEtcd.Clock;

/// <summary>
/// Moves a virtual clock along with wall time at a chosen scale (standalone <c>--time-scale</c>):
/// every few milliseconds of wall time it advances the clock by the elapsed wall time × scale. At
/// scale 0 the clock moves only when told (Advance over the control API).
/// </summary>
internal sealed class ClockDriver : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private readonly VirtualClock _clock;
    private readonly TimeProvider _wall;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private double _scale;

    public ClockDriver(VirtualClock clock, double scale, TimeProvider? wall = null)
    {
        _clock = clock;
        _wall = wall ?? TimeProvider.System;
        Scale = scale;
        _loop = RunAsync();
    }

    public double Scale
    {
        get => Volatile.Read(ref _scale);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref _scale, value);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Tick, _wall);
        var last = _wall.GetTimestamp();
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            var now = _wall.GetTimestamp();
            var elapsed = _wall.GetElapsedTime(last, now);
            last = now;
            var scale = Scale;
            if (scale > 0)
            {
                try
                {
                    await _clock.AdvanceAsync(elapsed * scale, _stop.Token).ConfigureAwait(false);
                }
                catch (FollowerTimeoutException)
                {
                    // That follower was disconnected; time goes on for everyone else.
                }
            }
        }
    }
}

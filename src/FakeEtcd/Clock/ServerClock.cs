namespace FakeEtcd.Clock;

/// <summary>
/// The server's clock (a <see cref="VirtualClock"/> in-process by default) and, for a virtual one,
/// its optional <see cref="ClockDriver"/>, created on the first non-zero time scale.
/// </summary>
internal sealed class ServerClock(TimeProvider time) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private ClockDriver? _driver;

    public TimeProvider Time => time;

    /// <summary>The clock when it is virtual; null on the system clock.</summary>
    public VirtualClock? Virtual => time as VirtualClock;

    public double Scale => _driver?.Scale ?? 0;

    public void SetScale(VirtualClock clock, double scale)
    {
        lock (_gate)
        {
            if (_driver is null && scale == 0)
            {
                return;
            }

            _driver ??= new ClockDriver(clock, scale);
            _driver.Scale = scale;
        }
    }

    public ValueTask DisposeAsync() => _driver?.DisposeAsync() ?? ValueTask.CompletedTask;
}

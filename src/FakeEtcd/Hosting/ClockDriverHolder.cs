namespace FakeEtcd.Hosting;

/// <summary>The server's optional <see cref="ClockDriver"/>, created on the first non-zero time scale.</summary>
internal sealed class ClockDriverHolder : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private ClockDriver? _driver;

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

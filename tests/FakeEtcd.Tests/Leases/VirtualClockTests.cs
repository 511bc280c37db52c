namespace FakeEtcd.Tests.Leases;

/// <summary>The virtual clock as a TimeProvider: time moves only on Advance, timers fire in order.</summary>
public class VirtualClockTests
{
    private readonly VirtualClock _clock = new();

    [Fact]
    public async Task TimeMovesOnlyWhenAdvanced()
    {
        var start = _clock.GetUtcNow();
        Assert.Equal(VirtualClock.DefaultStart, start);

        await _clock.AdvanceAsync(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);

        Assert.Equal(start.AddSeconds(1.5), _clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(1.5), _clock.GetElapsedTime(0));
        Assert.Equal(TimeSpan.FromSeconds(1.5), _clock.Elapsed);
    }

    [Fact]
    public async Task TimersFireInDueThenArmingOrderAtTheirDueTime()
    {
        var fired = new List<string>();
        using var late = _clock.CreateTimer(_ => fired.Add($"late@{_clock.Elapsed.TotalSeconds}"), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using var first = _clock.CreateTimer(_ => fired.Add($"first@{_clock.Elapsed.TotalSeconds}"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var second = _clock.CreateTimer(_ => fired.Add($"second@{_clock.Elapsed.TotalSeconds}"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        await _clock.AdvanceAsync(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.Equal(["first@1", "second@1"], fired);

        await _clock.AdvanceAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Equal(["first@1", "second@1", "late@3"], fired);
    }

    [Fact]
    public async Task ChainedDelaysAndPeriodicTimersAllFireInOneAdvance()
    {
        var ticks = new List<double>();
        using var periodic = _clock.CreateTimer(_ => ticks.Add(_clock.Elapsed.TotalSeconds), null, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20));
        var steps = new List<double>();

        // Started on this thread, the loop has armed its first delay and awaits it when Loop() returns.
        var loop = Loop();

        await _clock.AdvanceAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        await loop;

        Assert.Equal([20d, 40d, 60d], ticks);
        Assert.Equal([10d, 20d, 30d], steps);

        async Task Loop()
        {
            for (var i = 0; i < 3; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _clock);
                steps.Add(_clock.Elapsed.TotalSeconds);
            }
        }
    }

    [Fact]
    public async Task DisposedAndDisarmedTimersDoNotFire()
    {
        var fired = 0;
        var disposed = _clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var disarmed = _clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        disposed.Dispose();
        disarmed.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        await _clock.AdvanceAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal(0, fired);
        Assert.Equal(0, _clock.PendingTimers);
    }

    [Fact]
    public async Task AdvanceRejectsNegativeDurations() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _clock.AdvanceAsync(TimeSpan.FromTicks(-1), TestContext.Current.CancellationToken));
}

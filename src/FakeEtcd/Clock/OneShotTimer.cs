namespace FakeEtcd.Clock;

/// <summary>Runs an action once, after a delay on a clock, from a timer that disposes itself when it fires.</summary>
internal static class OneShotTimer
{
    public static void Schedule(TimeProvider clock, TimeSpan due, Action action)
    {
        var shot = new Shot(action);
        shot.Arm(clock.CreateTimer(static s => ((Shot)s!).Fire(), shot, due, Timeout.InfiniteTimeSpan));
    }

    /// <summary>Disposes the timer once it fired, whether it fires before or after <see cref="Arm"/> hands it over.</summary>
    private sealed class Shot(Action action)
    {
        private ITimer? _timer;
        private int _fired;

        public void Arm(ITimer timer)
        {
            Volatile.Write(ref _timer, timer);
            if (Volatile.Read(ref _fired) == 1)
            {
                Interlocked.Exchange(ref _timer, null)?.Dispose();
            }
        }

        public void Fire()
        {
            Volatile.Write(ref _fired, 1);
            Interlocked.Exchange(ref _timer, null)?.Dispose();
            action();
        }
    }
}

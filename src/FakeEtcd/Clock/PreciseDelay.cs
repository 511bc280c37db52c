namespace FakeEtcd.Clock;

/// <summary>
/// Wall-clock waits of about a millisecond that last about that long. Task.Delay and every .NET timer
/// round up to the runtime's coarse tick (CLOCK_MONOTONIC_COARSE on Linux: 4 ms on a 250 Hz kernel),
/// which made each 1 ms settle quiet period cost 4.3 ms on this project's CI machines. One background
/// thread sleeps in a timed Monitor.Wait (a precise condition-variable wait) until the earliest
/// deadline and completes the waiters; no pool thread is blocked and no CPU is burnt.
/// </summary>
internal static class PreciseDelay
{
    private static readonly object Gate = new();
    private static readonly PriorityQueue<TaskCompletionSource, long> Waiters = new();
    private static Thread? _thread;

    /// <summary>Completes once <paramref name="delay"/> of wall time has passed (or faults when cancelled).</summary>
    public static Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var due = TimeProvider.System.GetTimestamp() + (long)(delay.TotalSeconds * TimeProvider.System.TimestampFrequency);
        lock (Gate)
        {
            Waiters.Enqueue(waiter, due);
            _thread ??= Start();
            Monitor.Pulse(Gate);
        }

        return cancellationToken.CanBeCanceled ? waiter.Task.WaitAsync(cancellationToken) : waiter.Task;
    }

    private static Thread Start()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "FakeEtcd precise delay" };
        thread.Start();
        return thread;
    }

    private static void Run()
    {
        lock (Gate)
        {
            while (true)
            {
                if (!Waiters.TryPeek(out var waiter, out var due))
                {
                    Monitor.Wait(Gate);
                    continue;
                }

                var left = TimeProvider.System.GetElapsedTime(TimeProvider.System.GetTimestamp(), due);
                if (left <= TimeSpan.Zero)
                {
                    Waiters.Dequeue();
                    waiter.TrySetResult(); // Continuations run on the pool, not under the lock.
                    continue;
                }

                // Whole milliseconds, rounded up: Monitor.Wait's resolution.
                Monitor.Wait(Gate, (int)Math.Ceiling(left.TotalMilliseconds));
            }
        }
    }
}

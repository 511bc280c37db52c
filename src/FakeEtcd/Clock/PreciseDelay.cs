namespace FakeEtcd.Clock;

/// <summary>
/// Wall-clock waits of about a millisecond that last about that long. Task.Delay and every .NET timer
/// round up to the runtime's coarse tick (CLOCK_MONOTONIC_COARSE on Linux: 4 ms on a 250 Hz kernel),
/// which made each 1 ms settle quiet period cost 4.3 ms on this project's CI machines. One background
/// thread sleeps in a timed Monitor.Wait (a precise condition-variable wait) until the earliest
/// deadline and completes the waiters; no pool thread is blocked. A wait may also end early once a
/// condition holds: the thread then polls it (yielding its core between polls) instead of sleeping.
/// </summary>
internal static class PreciseDelay
{
    /// <summary>How long a wait that may end early is polled back to back before polls slow to one a millisecond.</summary>
    private static readonly TimeSpan TightPolling = TimeSpan.FromMilliseconds(2);

    private static readonly object Gate = new();
    private static readonly List<Waiter> Waiters = [];
    private static Thread? _thread;

    /// <summary>
    /// Completes once <paramref name="delay"/> of wall time has passed, or earlier once
    /// <paramref name="endEarly"/> (polled on the delay thread) returns true; faults when cancelled.
    /// </summary>
    public static Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken, Func<bool>? endEarly = null)
    {
        var waiter = new Waiter(
            new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
            TimeProvider.System.GetTimestamp() + (long)(delay.TotalSeconds * TimeProvider.System.TimestampFrequency),
            endEarly);
        lock (Gate)
        {
            Waiters.Add(waiter);
            _thread ??= Start();
            Monitor.Pulse(Gate);
        }

        return cancellationToken.CanBeCanceled ? waiter.Done.Task.WaitAsync(cancellationToken) : waiter.Done.Task;
    }

    private static Thread Start()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "FakeEtcd precise delay" };
        thread.Start();
        return thread;
    }

    private static void Run()
    {
        var polled = new List<Waiter>();
        while (true)
        {
            lock (Gate)
            {
                var now = TimeProvider.System.GetTimestamp();
                Waiters.RemoveAll(w => w.Due <= now && w.Complete()); // Continuations run on the pool, not under the lock.
                if (Waiters.Count == 0)
                {
                    Monitor.Wait(Gate);
                    continue;
                }

                polled.Clear();
                polled.AddRange(Waiters.Where(w => w.EndEarly is not null));
                if (polled.Count == 0)
                {
                    var left = TimeProvider.System.GetElapsedTime(now, Waiters.Min(w => w.Due));
                    Monitor.Wait(Gate, (int)Math.Ceiling(left.TotalMilliseconds)); // Whole milliseconds, rounded up: Monitor.Wait's resolution.
                    continue;
                }
            }

            // Conditions run outside the lock: they may take locks of their own.
            foreach (var waiter in polled)
            {
                if (waiter.EndEarly!() && waiter.Complete())
                {
                    lock (Gate)
                    {
                        Waiters.Remove(waiter);
                    }
                }
            }

            if (polled.All(w => TimeProvider.System.GetElapsedTime(w.Since) > TightPolling))
            {
                // Long quiet periods (a simulation's 20 ms) are polled once a millisecond, not spun through.
                lock (Gate)
                {
                    Monitor.Wait(Gate, 1);
                }
            }
            else
            {
                // Give the core to whatever the condition waits for; the next poll comes after it ran.
                Thread.Yield();
                Thread.SpinWait(20);
            }
        }
    }

    private sealed class Waiter(TaskCompletionSource done, long due, Func<bool>? endEarly)
    {
        public TaskCompletionSource Done => done;

        public long Due => due;

        public Func<bool>? EndEarly => endEarly;

        public long Since { get; } = TimeProvider.System.GetTimestamp();

        public bool Complete()
        {
            done.TrySetResult();
            return true;
        }
    }
}

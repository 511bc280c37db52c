namespace FakeEtcd.Clock;

/// <summary>
/// Workers parked for good: test runners keep one blocked in a work item for the whole run, which
/// the pool counts as busy forever. Estimated as the fewest busy workers seen over at least a second
/// of samples (one per 10 ms at most, from the settles' polls); 0 until that much evidence exists,
/// so a busy worker counts as work until it has been busy in every sample for a second.
/// </summary>
internal sealed class ParkedWorkers(TimeProvider time)
{
    private const int Capacity = 256;
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Evidence = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Horizon = TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private readonly (long At, int Busy)[] _samples = new (long, int)[Capacity];
    private int _next;
    private int _count;

    /// <summary>The process-wide estimate, fed by every settle's polls.</summary>
    public static ParkedWorkers Shared { get; } = new(TimeProvider.System);

    /// <summary>Records a sample of the busy worker count (ignored if the last one is under 10 ms old).</summary>
    public void Sample(int busy)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (_count > 0 && time.GetElapsedTime(_samples[(_next + Capacity - 1) % Capacity].At, now) < Spacing)
            {
                return;
            }

            _samples[_next] = (now, busy);
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }
    }

    /// <summary>The fewest busy workers over the recent samples, if they span a second; else 0.</summary>
    public int Estimate()
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            var fewest = int.MaxValue;
            var oldest = now;
            for (var i = 0; i < _count; i++)
            {
                var (at, busy) = _samples[i];
                if (time.GetElapsedTime(at, now) <= Horizon)
                {
                    fewest = Math.Min(fewest, busy);
                    oldest = Math.Min(oldest, at);
                }
            }

            return fewest != int.MaxValue && time.GetElapsedTime(oldest, now) >= Evidence ? fewest : 0;
        }
    }
}

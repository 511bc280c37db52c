namespace FakeEtcd.Clock;

/// <summary>
/// Decides when a settle's quiet period may end early: once, for <c>length</c> of wall time, nothing
/// tracked was in flight, no work item was queued or completed, and no more workers were busy than
/// <c>parked</c> says are parked for good. A client continuation is a pool work item that is queued,
/// then runs on a busy worker, then completes (queuing the next), so such a window shows none is left.
/// A worker busy beyond the parked ones (e.g. a continuation the JIT is compiling) keeps the window shut.
/// </summary>
internal sealed class QuietWindow(TimeSpan length, TimeProvider time, Func<PoolSnapshot> read, Func<int> parked)
{
    private PoolSnapshot _last;
    private long _since = -1;

    /// <summary>Looks at the pool again; true once it has stayed still for the whole window.</summary>
    /// <param name="trackedQuiet">Nothing the server tracks is in flight.</param>
    public bool Observe(bool trackedQuiet)
    {
        var now = time.GetTimestamp();
        var snapshot = read();
        if (!trackedQuiet || snapshot.Pending != 0 || _since < 0 || snapshot != _last)
        {
            (_last, _since) = (snapshot, now);
            return false;
        }

        return time.GetElapsedTime(_since, now) >= length && snapshot.Busy <= parked();
    }
}

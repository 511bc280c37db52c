namespace FakeEtcd.Clock;

/// <summary>
/// One piece of work a settle waits for: a call being handled, a message not yet written or read, a
/// sender between two writes. It counts from <see cref="ActivityTracker.Begin"/> until it is disposed;
/// whoever holds it ends it, and handing it on (to a stream handover, to an outbox item) hands on
/// that duty. Disposing twice ends it once, so a scope dropped on two paths (a write that failed
/// after the client went away) cannot end someone else's work.
/// </summary>
internal sealed class ActivityScope : IDisposable
{
    private ActivityTracker? _tracker;

    internal ActivityScope(ActivityTracker tracker) => _tracker = tracker;

    public bool IsEnded => Volatile.Read(ref _tracker) is null;

    public void Dispose() => Interlocked.Exchange(ref _tracker, null)?.End();
}

/// <summary>
/// Work that stops counting while it waits for something outside the settle (a Campaign parked on a
/// leader, a keepalive delayed by a fault), and counts again from <see cref="Dispose"/>, which the
/// waking side calls before the waiter resumes, so no instant goes uncounted.
/// </summary>
internal sealed class ActivitySuspension : IDisposable
{
    private ActivityTracker? _tracker;

    internal ActivitySuspension(ActivityTracker tracker) => _tracker = tracker;

    public void Dispose() => Interlocked.Exchange(ref _tracker, null)?.Start();
}

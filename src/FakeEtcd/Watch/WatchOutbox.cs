using System.Runtime.CompilerServices;
using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Clock;

namespace FakeEtcd.Watch;

/// <summary>
/// A response taken from the outbox to be written, whether its watcher asked for fragmentation, and
/// its activity, which the sender ends (or hands on) once it is written.
/// </summary>
internal readonly record struct OutboundResponse(WatchResponse Response, bool Fragment, ActivityScope Counted);

/// <summary>
/// The bounded, ordered queue between the apply path and one stream's sender. Enqueueing never
/// blocks: event responses are refused when the queue is full (the watcher then falls back to
/// catch-up from history), control responses are always taken (their producer, the request loop,
/// waits for room first). Every queued response counts as activity for the virtual clock's
/// settle until the sender has written it.
/// </summary>
internal sealed class WatchOutbox(ActivityTracker activity, int capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<Queued> _queue = new();
    private TaskCompletionSource? _changed;
    private CancellationToken _wakeToken;
    private CancellationTokenRegistration _wakeRegistration;
    private bool _closed;
    private bool _starved;
    private int _holds;

    public int Capacity => capacity;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Queues an event response unless the queue is full; a refusal marks the stream as owing a catch-up.</summary>
    public bool TryEnqueue(WatchResponse response, bool fragment = false)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return true; // Nobody will read it; the watcher is being torn down.
            }

            if (_queue.Count >= capacity)
            {
                _starved = true;
                return false;
            }

            Add(response, fragment);
            return true;
        }
    }

    /// <summary>Queues a control response (created, canceled, progress) regardless of the bound.</summary>
    public void Enqueue(WatchResponse response)
    {
        lock (_gate)
        {
            if (!_closed)
            {
                Add(response, false);
            }
        }
    }

    /// <summary>True when a response can be taken at once (queued and not held): the sender may buffer the one it writes.</summary>
    public bool HasReady
    {
        get
        {
            lock (_gate)
            {
                return !_closed && _holds == 0 && _queue.Count > 0;
            }
        }
    }

    /// <summary>Takes the next response if one can be taken at once.</summary>
    public bool TryDequeue(out OutboundResponse next)
    {
        lock (_gate)
        {
            if (!_closed && _holds == 0 && _queue.TryDequeue(out var queued))
            {
                PulseLocked();
                next = new OutboundResponse(queued.Response, queued.Fragment, queued.Counted!);
                return true;
            }
        }

        next = default;
        return false;
    }

    /// <summary>The next response in order, or null once the outbox is closed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<OutboundResponse?> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            bool wakes;
            lock (_gate)
            {
                if (_closed)
                {
                    return null;
                }

                if (_holds == 0 && _queue.TryDequeue(out var next))
                {
                    PulseLocked();
                    return new OutboundResponse(next.Response, next.Fragment, next.Counted!);
                }

                changed = Changed();
                wakes = WakesOnLocked(cancellationToken);
            }

            await WaitAsync(changed, wakes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the queue is below its bound (back-pressure for the request loop).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            bool wakes;
            lock (_gate)
            {
                if (_closed || _queue.Count < capacity)
                {
                    return;
                }

                changed = Changed();
                wakes = WakesOnLocked(cancellationToken);
            }

            await WaitAsync(changed, wakes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// True once per refusal, when the queue has drained to half its bound: the sender should then
    /// let unsynced watchers catch up.
    /// </summary>
    public bool TakeCatchUpRequest()
    {
        lock (_gate)
        {
            if (!_starved || _queue.Count > capacity / 2)
            {
                return false;
            }

            _starved = false;
            return true;
        }
    }

    /// <summary>Drops what was never written (ending its activity) and refuses everything from now on.</summary>
    public void Close()
    {
        Queued[] dropped;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            dropped = [.. _queue];
            _queue.Clear();
            PulseLocked();
        }

        _wakeRegistration.Dispose();

        foreach (var item in dropped)
        {
            item.Counted?.Dispose();
        }
    }

    /// <summary>
    /// Holds delivery (simulation): nothing is dequeued until every hold is released. Held responses do
    /// not count as activity, so a settle can finish and the clock can reach the release.
    /// </summary>
    public void Hold()
    {
        var uncounted = new List<ActivityScope>();
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _holds++;
            foreach (var item in _queue)
            {
                if (item.Counted is { } counted)
                {
                    uncounted.Add(counted);
                    item.Counted = null;
                }
            }
        }

        foreach (var counted in uncounted)
        {
            counted.Dispose();
        }
    }

    /// <summary>Releases one <see cref="Hold"/>; the last release counts the queued responses again and wakes the sender.</summary>
    public void Release()
    {
        lock (_gate)
        {
            if (_closed || _holds == 0 || --_holds > 0)
            {
                return;
            }

            foreach (var item in _queue)
            {
                item.Counted ??= activity.Begin();
            }

            PulseLocked();
        }
    }

    private void Add(WatchResponse response, bool fragment)
    {
        _queue.Enqueue(new Queued(response, fragment) { Counted = _holds > 0 ? null : activity.Begin() });
        PulseLocked();
    }

    // A stream's loops wait with the same token over and over: registering it once (the first wait)
    // and waking every waiter on cancellation saves a registration per wait on the hot path.
    private bool WakesOnLocked(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled || cancellationToken == _wakeToken)
        {
            return true;
        }

        if (_wakeToken != default || _closed)
        {
            return false;
        }

        _wakeToken = cancellationToken;
        _wakeRegistration = cancellationToken.UnsafeRegister(static state => ((WatchOutbox)state!).Wake(), this);
        return true;
    }

    private static async Task WaitAsync(Task changed, bool wakes, CancellationToken cancellationToken)
    {
        if (!wakes)
        {
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await changed.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Wake()
    {
        lock (_gate)
        {
            PulseLocked();
        }
    }

    private Task Changed()
    {
        _changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _changed.Task;
    }

    // Wakes waiters off this thread: producers hold the apply lock and must not run the sender inline.
    private void PulseLocked()
    {
        var changed = _changed;
        _changed = null;
        changed?.TrySetResult();
    }

    /// <summary>A queued response; its activity is lifted while delivery is held.</summary>
    private sealed class Queued(WatchResponse response, bool fragment)
    {
        public WatchResponse Response { get; } = response;

        public bool Fragment { get; } = fragment;

        public ActivityScope? Counted { get; set; }
    }
}

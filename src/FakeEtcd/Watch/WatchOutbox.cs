using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Clock;

namespace FakeEtcd.Watch;

/// <summary>A response waiting to be written, and whether its watcher asked for fragmentation.</summary>
internal readonly record struct OutboundResponse(WatchResponse Response, bool Fragment);

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
    private readonly Queue<OutboundResponse> _queue = new();
    private TaskCompletionSource? _changed;
    private bool _closed;
    private bool _starved;
    private int _holds;
    private int _uncounted;

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

            Add(new OutboundResponse(response, fragment));
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
                Add(new OutboundResponse(response, false));
            }
        }
    }

    /// <summary>The next response in order, or null once the outbox is closed.</summary>
    public async ValueTask<OutboundResponse?> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_closed)
                {
                    return null;
                }

                if (_holds == 0 && _queue.TryDequeue(out var next))
                {
                    PulseLocked();
                    return next;
                }

                changed = Changed();
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the queue is below its bound (back-pressure for the request loop).</summary>
    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_closed || _queue.Count < capacity)
                {
                    return;
                }

                changed = Changed();
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
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
        int dropped;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            dropped = _queue.Count - _uncounted;
            _uncounted = 0;
            _queue.Clear();
            PulseLocked();
        }

        for (var i = 0; i < dropped; i++)
        {
            activity.Exit();
        }
    }

    /// <summary>
    /// Holds delivery (simulation): nothing is dequeued until every hold is released. Held responses do
    /// not count as activity, so a settle can finish and the clock can reach the release.
    /// </summary>
    public void Hold()
    {
        int uncount;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _holds++;
            uncount = _queue.Count - _uncounted;
            _uncounted = _queue.Count;
        }

        for (var i = 0; i < uncount; i++)
        {
            activity.Exit();
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

            for (var i = 0; i < _uncounted; i++)
            {
                activity.Enter();
            }

            _uncounted = 0;
            PulseLocked();
        }
    }

    private void Add(OutboundResponse item)
    {
        if (_holds > 0)
        {
            _uncounted++;
        }
        else
        {
            activity.Enter();
        }

        _queue.Enqueue(item);
        PulseLocked();
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
}

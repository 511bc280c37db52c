namespace FakeEtcd.Clock;

/// <summary>
/// Counts work in flight around a server and bumps an epoch on every new piece of work, so a settle
/// can tell "nothing is running and nothing started meanwhile" from "work came and went". Work is
/// counted only through <see cref="ActivityScope"/> (begun here, ended once by its holder) and
/// <see cref="ActivitySuspension"/>; what holds scopes is the whole list of what a settle waits for:
/// <list type="bullet">
/// <item>server: unary calls, request read to response written (<c>ServerActivityInterceptor</c>);
/// stream messages from read to answered (<c>LeaseService</c>), queued to written (<c>WatchOutbox</c>,
/// <c>CountedResponseWriter</c>), and a watch sender between a write and the catch-up it starts;</item>
/// <item>in-process fixture clients: unary calls from start to response read (<c>ClientActivityInterceptor</c>,
/// <c>NamedClientInterceptor</c>), stream messages from write to server read and from server write to
/// client read (<c>StreamHandover</c>);</item>
/// <item>simulation: a request message read until the handler asks for the next (<c>SeverableReader</c>).</item>
/// </list>
/// Waits that must not hold the clock suspend their caller's count (<c>KeyWaits</c>, held watch
/// deliveries). Followers in other processes are not counted here: they take part in the settle as
/// <see cref="ISettleParticipant"/>s.
/// </summary>
internal sealed class ActivityTracker
{
    private readonly Lock _gate = new();
    private long _inFlight;
    private long _epoch;
    private readonly HashSet<string> _unobservedSockets = new(StringComparer.Ordinal);
    private TaskCompletionSource? _idle;

    public long InFlight => Interlocked.Read(ref _inFlight);

    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>
    /// Client connections over sockets (not in-memory ones) on which no call has yet shown that its
    /// client is one this process counts (see <c>InProcessClients</c>). Their clients' reactions arrive
    /// through the kernel and the socket engine's thread, where an idle thread pool says nothing about them.
    /// </summary>
    public long UnobservedSocketConnections
    {
        get
        {
            lock (_gate)
            {
                return _unobservedSockets.Count;
            }
        }
    }

    public void SocketConnectionOpened(string connectionId)
    {
        lock (_gate)
        {
            _unobservedSockets.Add(connectionId);
        }
    }

    public void SocketConnectionClosed(string connectionId)
    {
        lock (_gate)
        {
            _unobservedSockets.Remove(connectionId);
        }
    }

    /// <summary>A call on <paramref name="connectionId"/> came from a client this process counts: its calls are all seen.</summary>
    public void SocketConnectionObserved(string connectionId)
    {
        lock (_gate)
        {
            _unobservedSockets.Remove(connectionId);
        }
    }

    /// <summary>Starts counting one piece of work; the caller (or whoever it hands the scope to) disposes it once.</summary>
    public ActivityScope Begin()
    {
        Start();
        return new ActivityScope(this);
    }

    /// <summary>Stops counting the caller's own work (already counted by a scope it does not hold) until the suspension is disposed.</summary>
    public ActivitySuspension Suspend()
    {
        End();
        return new ActivitySuspension(this);
    }

    internal void Start()
    {
        lock (_gate)
        {
            _inFlight++;
            _epoch++;
        }
    }

    internal void End()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_inFlight == 0)
            {
                (idle, _idle) = (_idle, null);
            }
        }

        idle?.TrySetResult();
    }

    /// <summary>Completes when nothing is in flight.</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            if (_inFlight == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }
}

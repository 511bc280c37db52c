namespace FakeEtcd.Clock;

/// <summary>
/// Counts work in flight around a server (calls being handled, messages not yet written or read)
/// and bumps an epoch on every new piece of work, so a settle can tell "nothing is running and
/// nothing started meanwhile" from "work came and went".
/// </summary>
internal sealed class ActivityTracker
{
    private readonly Lock _gate = new();
    private long _inFlight;
    private long _epoch;
    private long _socketConnections;
    private TaskCompletionSource? _idle;

    public ActivityTracker() => Handovers = new StreamHandovers(this);

    /// <summary>Stream messages whose activity ends when an in-process client has read them.</summary>
    public StreamHandovers Handovers { get; }

    public long InFlight => Interlocked.Read(ref _inFlight);

    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>
    /// Client connections over sockets (not in-memory ones). Their clients' reactions arrive through the
    /// kernel and the socket engine's thread, where an idle thread pool says nothing about them.
    /// </summary>
    public long SocketConnections => Interlocked.Read(ref _socketConnections);

    public void SocketConnectionOpened() => Interlocked.Increment(ref _socketConnections);

    public void SocketConnectionClosed() => Interlocked.Decrement(ref _socketConnections);

    public void Enter()
    {
        lock (_gate)
        {
            _inFlight++;
            _epoch++;
        }
    }

    public void Exit()
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

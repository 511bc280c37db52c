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
    private TaskCompletionSource? _idle;

    public ActivityTracker() => Handovers = new StreamHandovers(this);

    /// <summary>Stream messages whose activity ends when an in-process client has read them.</summary>
    public StreamHandovers Handovers { get; }

    public long InFlight => Interlocked.Read(ref _inFlight);

    public long Epoch => Interlocked.Read(ref _epoch);

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

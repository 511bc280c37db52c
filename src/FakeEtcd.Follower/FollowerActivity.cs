namespace FakeEtcd.Follower;

/// <summary>
/// What this process has in flight with the server: unary calls not yet answered and stream messages
/// read so far. A tick is done when no call is in flight, at least the server's count of messages has
/// been read, and nothing new started during a quiet period.
/// </summary>
internal sealed class FollowerActivity
{
    private readonly Lock _gate = new();
    private long _inFlight;
    private ulong _received;
    private long _epoch;
    private TaskCompletionSource _changed = NewSignal();

    public long Epoch
    {
        get
        {
            lock (_gate)
            {
                return _epoch;
            }
        }
    }

    /// <summary>Stream messages read so far, on all calls.</summary>
    public ulong Received
    {
        get
        {
            lock (_gate)
            {
                return _received;
            }
        }
    }

    public void CallStarted() => Change(() => _inFlight++);

    public void CallEnded() => Change(() => _inFlight--);

    public void MessageRead() => Change(() => _received++);

    /// <summary>Something happened that is not a call (a timer armed or fired).</summary>
    public void Touched() => Change(() => { });

    /// <summary>Completes when no call is in flight and at least <paramref name="sent"/> messages were read.</summary>
    public async Task WhenCaughtUpAsync(ulong sent, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_inFlight == 0 && _received >= sent)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public bool IsCaughtUp(ulong sent)
    {
        lock (_gate)
        {
            return _inFlight == 0 && _received >= sent;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Change(Action change)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            change();
            _epoch++;
            (changed, _changed) = (_changed, NewSignal());
        }

        changed.TrySetResult();
    }
}

namespace Election.Hosting;

/// <summary>The hosted session's state, for the health check, the program's exit code, and the application.</summary>
public sealed class ActiveStandbyStatus
{
    private readonly Lock _gate = new();
    private ActiveStandbyHostState _state;
    private ActiveStandbySession? _session;
    private Exception? _failure;

    /// <summary>Raised after every change of <see cref="State"/>, on the thread that made it.</summary>
    public event EventHandler<ActiveStandbyHostState>? Changed;

    /// <summary>Where the session is now.</summary>
    public ActiveStandbyHostState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The registered session, once there is one.</summary>
    public ActiveStandbySession? Session
    {
        get
        {
            lock (_gate)
            {
                return _session;
            }
        }
    }

    /// <summary>Why the state is <see cref="ActiveStandbyHostState.Failed"/>.</summary>
    public Exception? Failure
    {
        get
        {
            lock (_gate)
            {
                return _failure;
            }
        }
    }

    /// <summary>What a coordinator process should exit with: 1 when the session was lost or failed (Milvus's os.Exit(1)), else 0.</summary>
    public int ExitCode => State is ActiveStandbyHostState.Lost or ActiveStandbyHostState.Failed ? 1 : 0;

    internal void Registered(ActiveStandbySession session)
    {
        lock (_gate)
        {
            _session = session;
        }

        MoveTo(ActiveStandbyHostState.Standby);
    }

    internal void Failed(Exception failure)
    {
        lock (_gate)
        {
            _failure = failure;
        }

        MoveTo(ActiveStandbyHostState.Failed);
    }

    /// <summary>
    /// Moves forward only (registering, standby, active, then one final state). The first final state
    /// stays, except that a failure replaces the stop it caused (a throwing activation stops its session).
    /// </summary>
    internal void MoveTo(ActiveStandbyHostState next)
    {
        lock (_gate)
        {
            var final = _state is ActiveStandbyHostState.Lost or ActiveStandbyHostState.Stopped or ActiveStandbyHostState.Failed;
            var failureAfterStop = _state == ActiveStandbyHostState.Stopped && next == ActiveStandbyHostState.Failed;
            if (next <= _state || (final && !failureAfterStop))
            {
                return;
            }

            _state = next;
        }

        Changed?.Invoke(this, next);
    }
}

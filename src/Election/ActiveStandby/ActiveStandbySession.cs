using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Election.Etcd;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Election;

/// <summary>
/// A Milvus-style coordinator session: a ServerID from the <c>session/id</c> counter, a per-server
/// key <c>&lt;root&gt;/session/&lt;name&gt;-&lt;id&gt;</c> on a kept-alive lease, and, once active,
/// the ACTIVE key <c>&lt;root&gt;/session/&lt;name&gt;</c> on the same lease. Unlike Milvus it never
/// kills the process: a lost lease moves the session to <see cref="SessionState.Lost"/> and raises
/// <see cref="StateChanged"/>; a standby whose own lease is lost stops waiting instead of spinning,
/// and <see cref="StopAsync"/> ends a standby in one call.
/// </summary>
public sealed partial class ActiveStandbySession : IAsyncDisposable
{
    private readonly EtcdApi _etcd;
    private readonly SessionOptions _options;
    private readonly LeaseKeeper _lease;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private static readonly AsyncLocal<ActiveStandbySession?> InsideActivation = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _lifetime = new();

    // The liveness watch's own end: with the lifetime, except that a stop in ActivationFirst order
    // cancels it only once the revoke is sent, so tearing the watch down does not delay the takeover.
    private readonly CancellationTokenSource _watchStop = new();
    private readonly List<Channel<SessionStateChange>> _subscribers = [];
    private readonly IDisposable? _scope;
    private SessionState _state;
    private long _epoch;
    private int _processing;
    private int _stopOwesLog;
    private Task _liveness = Task.CompletedTask;
    private TaskCompletionSource? _activation;

    private ActiveStandbySession(EtcdApi etcd, SessionOptions options, long serverId, LeaseKeeper lease, ILogger logger, IDisposable? scope)
    {
        _etcd = etcd;
        _options = options;
        _lease = lease;
        _logger = logger;
        _scope = scope;
        _time = options.TimeProvider;
        ServerId = serverId;
        _state = SessionState.Standby;
        lease.LostToken.Register(static s => ((ActiveStandbySession)s!).OnLeaseLost(), this);
    }

    /// <summary>Raised after every state change, on the thread that caused it. Handlers must not block.</summary>
    public event EventHandler<SessionStateChange>? StateChanged;

    /// <summary>This process's id from the <c>session/id</c> counter.</summary>
    public long ServerId { get; }

    /// <summary>The role name the session competes for.</summary>
    public string ServerName => _options.ServerName;

    /// <summary>The address written into the session value, where clients find this process once it is active.</summary>
    public string Address => _options.Address;

    /// <summary>The lease holding both keys.</summary>
    public long LeaseId => _lease.LeaseId;

    /// <summary>The TTL etcd granted.</summary>
    public TimeSpan Ttl => _lease.Ttl;

    /// <summary>The ACTIVE key, <c>&lt;root&gt;/session/&lt;name&gt;</c>.</summary>
    public string ActiveKey => SessionPrefix(_options) + _options.ServerName;

    /// <summary>The per-server key, <c>&lt;root&gt;/session/&lt;name&gt;-&lt;id&gt;</c> (the ACTIVE key when active-standby is off).</summary>
    public string ServerKey { get; private set; } = string.Empty;

    /// <summary>The current state.</summary>
    public SessionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>
    /// The revision of the write that made this session active (the ACTIVE key's create revision), or 0
    /// while not yet active. It only grows across activations of a role, so it works as a fencing token:
    /// guard writes with <c>If(CreateRevision(ActiveKey) == Epoch)</c>.
    /// </summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>Why the session was lost, or <see cref="SessionLossReason.None"/>.</summary>
    public SessionLossReason LossReason => _lease.LossReason;

    /// <summary>Cancelled when the session ends: lost or stopped.</summary>
    public CancellationToken Ended => _lifetime.Token;

    /// <summary>
    /// Allocates a ServerID, grants a lease of <see cref="SessionOptions.Ttl"/>, registers the
    /// per-server key (or, with active-standby off, the ACTIVE key) and starts the keepalives. A try that
    /// fails (etcd unreachable, the key held) is repeated on a fresh lease up to
    /// <see cref="SessionOptions.RegisterRetries"/> times with a back-off, as Milvus does; a key left by an
    /// earlier process of the same <see cref="SessionOptions.Address"/> (a smaller ServerID) is deleted
    /// first, so a restart does not wait for the old lease to expire.
    /// </summary>
    /// <exception cref="InvalidOperationException">The key was still held by another process after the last try.</exception>
    /// <exception cref="Grpc.Core.RpcException">etcd still failed the last try.</exception>
    /// <exception cref="ArgumentException">An option is out of range, e.g. a <see cref="SessionOptions.Version"/> Milvus could not parse.</exception>
    public static async Task<ActiveStandbySession> RegisterAsync(CallInvoker etcd, SessionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(etcd);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.ServerName);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RegisterRetries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RegisterRetryDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RegisterRetryMaxDelay, options.RegisterRetryDelay);
        if (!SessionValue.IsSemVer(options.Version))
        {
            throw new ArgumentException($"Version must be a semantic version as Milvus parses it (MAJOR.MINOR.PATCH[-pre][+build]), not '{options.Version}'", nameof(options));
        }

        if (!Enum.IsDefined(options.ValueLayout))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ValueLayout, "ValueLayout is not a SessionValueLayout");
        }

        var logger = options.Logger ?? options.LoggerFactory?.CreateLogger<ActiveStandbySession>() ?? NullLogger<ActiveStandbySession>.Instance;
        return await RegisterWithRetriesAsync(new EtcdApi(etcd), options, logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>State changes from now on, ending when the session ends or <paramref name="cancellationToken"/> is cancelled.</summary>
    public async IAsyncEnumerable<SessionStateChange> StateChangesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<SessionStateChange>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            if (_state is SessionState.Lost or SessionState.Stopped)
            {
                yield break;
            }

            _subscribers.Add(channel);
        }

        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return change;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }

    /// <summary>
    /// Graceful stop, in any state and in one call: cancels the activation callback's token, waits for the
    /// activation to return, then revokes the lease, so both keys vanish in one revision and a standby
    /// takes over only after this session's work has stopped (<see cref="SessionOptions.StopOrder"/>
    /// <see cref="SessionStopOrder.RevokeFirst"/> revokes first instead). Ends a pending
    /// <see cref="ProcessActiveStandbyAsync"/>. Called from inside the activation, it cannot wait for it:
    /// it cancels the token and returns, and the revoke follows when the activation returns.
    /// </summary>
    /// <remarks>The activation must honour its token: a stop waits for it as long as it runs.</remarks>
    public async Task StopAsync()
    {
        if (TransitionTo(SessionState.Stopped, SessionLossReason.None))
        {
            Volatile.Write(ref _stopOwesLog, 1);
        }

        if (_options.StopOrder == SessionStopOrder.RevokeFirst)
        {
            // The revoke goes out before anything waits on the activation or the teardown.
            var revoking = _lease.StopAsync(revoke: true, _options.RevokeTimeout);
            EndLifetime();
            await revoking.ConfigureAwait(false);
        }
        else
        {
            // Cancelled inline, not from the pool: the activation reacts (starts winding down) before this
            // call goes on, so a virtual clock's settle sees it and no wind-down timer is armed late.
            _lifetime.Cancel();
            if (InsideActivation.Value == this)
            {
                return; // ProcessActiveStandbyAsync stops again once the activation has returned.
            }

            await ActivationEndedAsync().ConfigureAwait(false);
            var revoking = _lease.StopAsync(revoke: true, _options.RevokeTimeout);
            _watchStop.Cancel(); // After the revoke is sent (see _watchStop).
            await revoking.ConfigureAwait(false);
        }

        await _liveness.ConfigureAwait(false);
        if (Interlocked.Exchange(ref _stopOwesLog, 0) == 1)
        {
            SessionLog.Stopped(_logger, ServerName, ServerId);
        }

        _scope?.Dispose();
    }

    /// <summary>Same as <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private Task ActivationEndedAsync()
    {
        lock (_gate)
        {
            return _activation?.Task ?? Task.CompletedTask;
        }
    }

    private static string SessionPrefix(SessionOptions options) => options.MetaRoot.TrimEnd('/') + "/session/";

    /// <summary>Records the activation; false when the session ended meanwhile.</summary>
    private bool Activated(long epoch, bool watch)
    {
        Interlocked.Exchange(ref _epoch, epoch);
        if (!TransitionTo(SessionState.Active, SessionLossReason.None))
        {
            return false;
        }

        if (watch)
        {
            WatchAsActive();
        }

        return true;
    }

    private void WatchAsActive() => _liveness = WatchActiveKeyAsync(Epoch, _watchStop.Token);

    /// <summary>Ends the session's token and its liveness watch together.</summary>
    private void EndLifetime()
    {
        _lifetime.Cancel();
        _watchStop.Cancel();
    }

    private void OnLeaseLost() => Lose(_lease.LossReason);

    private void Lose(SessionLossReason reason)
    {
        if (!TransitionTo(SessionState.Lost, reason))
        {
            return;
        }

        SessionLog.LostSession(_logger, ServerName, ServerId, reason);
        EndLifetime();
    }

    /// <summary>Moves to <paramref name="next"/> unless the session already ended; true if it was live before.</summary>
    private bool TransitionTo(SessionState next, SessionLossReason reason)
    {
        SessionStateChange change;
        List<Channel<SessionStateChange>> subscribers;
        lock (_gate)
        {
            if (_state is SessionState.Lost or SessionState.Stopped)
            {
                return false;
            }

            change = new SessionStateChange(_state, next, _time.GetUtcNow(), reason);
            _state = next;
            subscribers = [.. _subscribers];
        }

        var final = next is SessionState.Lost or SessionState.Stopped;
        foreach (var subscriber in subscribers)
        {
            subscriber.Writer.TryWrite(change);
            if (final)
            {
                subscriber.Writer.TryComplete();
            }
        }

        StateChanged?.Invoke(this, change);
        return true;
    }
}

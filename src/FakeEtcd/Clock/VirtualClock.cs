using FakeEtcd.Clock;

namespace FakeEtcd;

/// <summary>
/// A <see cref="TimeProvider"/> whose time moves only when told. <see cref="AdvanceAsync"/> walks the
/// due timers in (due time, arming order), sets "now" to each one's due time, fires it, and settles
/// before moving on, so a test can assert right after it returns: leases that expired in the window
/// are revoked and what that caused has been delivered.
/// </summary>
public sealed partial class VirtualClock : TimeProvider
{
    /// <summary>Where a new clock starts unless told otherwise: 2000-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly IComparer<VirtualTimer> DueOrder = Comparer<VirtualTimer>.Create((a, b) =>
    {
        var byDue = a.Due!.Value.CompareTo(b.Due!.Value);
        return byDue != 0 ? byDue : a.Sequence.CompareTo(b.Sequence);
    });

    private readonly Lock _gate = new();
    private readonly SortedSet<VirtualTimer> _timers = new(DueOrder);
    private readonly SemaphoreSlim _advancing = new(1, 1);
    private readonly DateTimeOffset _start;
    private DateTimeOffset _now;
    private long _sequence;

    /// <summary>Creates a clock at <paramref name="start"/> (default <see cref="DefaultStart"/>).</summary>
    public VirtualClock(DateTimeOffset? start = null)
    {
        _start = start ?? DefaultStart;
        _now = _start;
    }

    /// <summary>How much virtual time has passed since the clock was created.</summary>
    public TimeSpan Elapsed => GetUtcNow() - _start;

    /// <summary>How many quiet thread-pool rounds a settle waits for after the last activity.</summary>
    public int QuietRounds { get; set; } = 4;

    /// <summary>
    /// Wall-clock quiet time a settle waits for after the last activity (default 1 ms). Work the
    /// server and fixture channels do is counted, but a client's own continuations between "message
    /// read" and "next call started" run on the thread pool where nothing counts them; this quiet
    /// time lets them start their next call. Zero makes a settle cost microseconds and suits code
    /// that reacts inline; raise it for clients on plain URLs or in other processes.
    /// </summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Whether a settle's quiet period may end early, once the thread pool has stood still for 100 µs
    /// (default true): nothing tracked in flight, no work item queued or completed, no worker busy
    /// (beyond workers a test runner parks for good). In-process clients' continuations are pool work
    /// items, so that shows they are done; it applies only while no client is connected over a socket (whose reactions
    /// arrive through the kernel) and the caller has no <see cref="SynchronizationContext"/> (whose
    /// threads the pool does not count). Otherwise, or while the pool keeps working (other tests in
    /// the process), the whole <see cref="QuietPeriod"/> is waited.
    /// </summary>
    public bool QuietEndsWhenIdle { get; set; } = true;

    /// <summary>How long the pool must stay still to end a quiet period early (see <see cref="QuietEndsWhenIdle"/>).</summary>
    internal static TimeSpan IdleWindow { get; } = TimeSpan.FromMicroseconds(100);

    /// <summary>How much longer than <see cref="QuietPeriod"/> a settle waits for a pool that is not still (a scheduler slice and more).</summary>
    internal static TimeSpan PoolPatience { get; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Timers waiting to fire.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count;
            }
        }
    }

    internal ActivityTracker Activity { get; } = new();

    /// <summary>Followers of this clock in other processes (see <see cref="ISettleParticipant"/>); set once by the server.</summary>
    internal ISettleParticipant? Participant { get; set; }

    private bool HasParticipants => Participant is { IsEmpty: false };

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp() => (GetUtcNow() - _start).Ticks;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, callback, state);
        Arm(timer, dueTime, period);
        return timer;
    }

    /// <summary>
    /// Moves time forward by <paramref name="by"/>, firing every timer that falls due on the way (also
    /// timers created or re-armed by callbacks during the advance) and settling after each.
    /// <c>AdvanceAsync(TimeSpan.Zero)</c> only settles.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        var poolOnly = SynchronizationContext.Current is null;
        await _advancing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SettleAsync(poolOnly, cancellationToken).ConfigureAwait(false);
            var target = GetUtcNow() + by;
            var epoch = Activity.Epoch;
            while (NextDue(target) is { } timer)
            {
                // Followers in other processes learn each new instant before anything happens at it,
                // so that what reaches them from it (a watch event) is stamped with that instant.
                if (Participant is { IsEmpty: false } participant && participant.NeedsTick(GetUtcNow()))
                {
                    await participant.TickAsync(GetUtcNow(), cancellationToken).ConfigureAwait(false);
                }

                timer.Fire();
                await SettleAsync(poolOnly, cancellationToken).ConfigureAwait(false);
            }

            // Settled after each timer already; settle again only if something started since, or to
            // tell followers where the clock stopped.
            if (Activity.Epoch != epoch || Activity.InFlight != 0 || HasParticipants)
            {
                await SettleAsync(poolOnly, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _advancing.Release();
        }
    }

    /// <summary>Advances to <paramref name="instant"/> (no-op if it is not in the future).</summary>
    public Task AdvanceToAsync(DateTimeOffset instant, CancellationToken cancellationToken = default)
    {
        var by = instant - GetUtcNow();
        return AdvanceAsync(by > TimeSpan.Zero ? by : TimeSpan.Zero, cancellationToken);
    }

    /// <summary>Waits until nothing the clock's server tracks is in flight and nothing new started.</summary>
    public Task SettleAsync(CancellationToken cancellationToken = default) =>
        SettleAsync(SynchronizationContext.Current is null, cancellationToken);

    // poolOnly: the caller runs without a synchronization context, so its continuations run on the pool.
    private async Task SettleAsync(bool poolOnly, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Activity.WhenIdleAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!await StaysQuietAsync(Activity.Epoch, poolOnly, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            // Followers react to what the server did (and the server to them): done when, with the
            // server quiet, none of them has anything left to react to.
            if (Participant is not { IsEmpty: false } participant || !participant.NeedsTick(GetUtcNow()))
            {
                return;
            }

            await participant.TickAsync(GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Yields to the thread pool <see cref="QuietRounds"/> times, then waits <see cref="QuietPeriod"/>
    /// of wall time (or until the pool is seen idle, see <see cref="QuietEndsWhenIdle"/>), and reports
    /// whether no new activity started meanwhile. A real timed wait (not a spin, and not Task.Delay,
    /// which rounds 1 ms up to the runtime's 4 ms tick) leaves the pool's threads to whatever
    /// continuations are queued, which is what makes the quiet time robust when the machine is busy.
    /// </summary>
    private async Task<bool> StaysQuietAsync(long epoch, bool poolOnly, CancellationToken cancellationToken)
    {
        for (var round = 0; round < QuietRounds; round++)
        {
            await Task.Yield();
        }

        if (QuietPeriod > TimeSpan.Zero)
        {
            Func<bool>? endEarly = null;
            var still = false;
            if (CanEndQuietEarly(poolOnly))
            {
                // Ends the wait early either way: quiet proven, or new activity (this quiet period is void then).
                var parked = ParkedWorkers.Shared;
                var window = new QuietWindow(IdleWindow, TimeProvider.System, () => Sampled(parked), parked.Estimate);
                endEarly = () => Activity.Epoch != epoch || (still = window.Observe(Activity.InFlight == 0 && CanEndQuietEarly(poolOnly)));
            }

            await PreciseDelay.WaitAsync(QuietPeriod, cancellationToken, endEarly).ConfigureAwait(false);
            if (endEarly is not null && !still && Activity.Epoch == epoch && Activity.InFlight == 0)
            {
                // The pool was not still when the quiet period ended: a client continuation (a watch
                // callback dotnet-etcd queues to the pool) may be held off its core on a loaded
                // machine. It gets PoolPatience more to finish; the wait still ends once the pool is still.
                await PreciseDelay.WaitAsync(PoolPatience, cancellationToken, endEarly).ConfigureAwait(false);
            }
        }

        return Activity.InFlight == 0 && Activity.Epoch == epoch;
    }

    private static PoolSnapshot Sampled(ParkedWorkers parked)
    {
        var snapshot = PoolSnapshot.Read();
        parked.Sample(snapshot.Busy);
        return snapshot;
    }

    /// <summary>Whether an idle thread pool may end a quiet period (see <see cref="QuietEndsWhenIdle"/>).</summary>
    internal bool CanEndQuietEarly(bool poolOnly) => QuietEndsWhenIdle && poolOnly && Activity.UnobservedSocketConnections == 0;

    internal bool Arm(VirtualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            if (timer.Due is not null)
            {
                _timers.Remove(timer);
                timer.Due = null;
            }

            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return true;
            }

            ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
            timer.Due = _now + dueTime;
            timer.Period = period;
            timer.Sequence = ++_sequence;
            _timers.Add(timer);
            return true;
        }
    }

    /// <summary>Arms <paramref name="timer"/> for an absolute instant; one already past is due at once.</summary>
    internal void ArmAt(VirtualTimer timer, DateTimeOffset due)
    {
        lock (_gate)
        {
            var dueTime = due - _now;
            Arm(timer, dueTime > TimeSpan.Zero ? dueTime : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Takes the earliest timer due at or before <paramref name="target"/>, moving "now" to its due time.</summary>
    private VirtualTimer? NextDue(DateTimeOffset target)
    {
        lock (_gate)
        {
            var timer = _timers.Min;
            if (timer is null || timer.Due > target)
            {
                _now = target > _now ? target : _now;
                return null;
            }

            _timers.Remove(timer);
            _now = timer.Due!.Value > _now ? timer.Due.Value : _now;
            if (timer.Period > TimeSpan.Zero && timer.Period != Timeout.InfiniteTimeSpan)
            {
                timer.Due = timer.Due!.Value + timer.Period;
                timer.Sequence = ++_sequence;
                _timers.Add(timer);
            }
            else
            {
                timer.Due = null;
            }

            return timer;
        }
    }
}

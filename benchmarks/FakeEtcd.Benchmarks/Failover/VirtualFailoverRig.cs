namespace FakeEtcd.Benchmarks.Failover;

/// <summary>
/// Crash failovers with a 60 s TTL on FakeEtcd's virtual clock, as a test would run them: the
/// sessions share <see cref="VirtualClock"/> and use fixture channels (so settles see their calls).
/// <see cref="FailOverAsync"/> crashes the active (no revoke) and advances the clock until the
/// standby's activation callback has run; every failover moves virtual time by one TTL.
/// </summary>
internal sealed class VirtualFailoverRig : IAsyncDisposable
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly FakeEtcdServer _server;
    private readonly CountingTimeProvider _sessionClock;
    private Contender _active;
    private Contender? _standby;
    private Contender? _crashed;

    private VirtualFailoverRig(FakeEtcdServer server, CountingTimeProvider sessionClock, Contender active)
    {
        _server = server;
        _sessionClock = sessionClock;
        _active = active;
    }

    public VirtualClock Clock => _server.Clock;

    /// <summary>Session timer callbacks fired so far (each one is followed by a settle in the advance).</summary>
    public long SessionTimerFirings => _sessionClock.Firings;

    /// <summary>Virtual-clock advances the last failover needed (1 when the TTL advance's settle saw the activation).</summary>
    public int LastAdvances { get; private set; }

    public static async Task<VirtualFailoverRig> StartAsync()
    {
        var server = await FakeEtcdServer.StartAsync();
        var sessionClock = new CountingTimeProvider(server.Clock);
        var first = await Contender.StartAsync(server.CreateCallInvoker(), Ttl, sessionClock);
        await SettleUntilAsync(server.Clock, first.Activated);
        return new VirtualFailoverRig(server, sessionClock, first);
    }

    /// <summary>Disposes the last crashed active and registers a standby whose watch the server has created.</summary>
    public async Task PrepareAsync()
    {
        if (_crashed is not null)
        {
            await _crashed.DisposeAsync();
            _crashed = null;
        }

        _standby = await Contender.StartAsync(_server.CreateCallInvoker(), Ttl, _sessionClock);
        await SettleUntilAsync(_server.Clock, _standby.Probe.Created);
    }

    /// <summary>Crashes the active, then advances one TTL (and settles further if needed) until the standby is active.</summary>
    public async Task FailOverAsync()
    {
        var standby = _standby ?? throw new InvalidOperationException("PrepareAsync first");
        await _active.CrashAsync();
        await Clock.AdvanceAsync(Ttl);
        LastAdvances = 1 + await SettleUntilAsync(Clock, standby.Activated);
        (_crashed, _active, _standby) = (_active, standby, null);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var contender in new[] { _crashed, _standby, _active })
        {
            if (contender is not null)
            {
                await contender.DisposeAsync();
            }
        }

        await _server.DisposeAsync();
    }

    /// <summary>Settles (no virtual time passes) until <paramref name="done"/> completes; how many settles it took.</summary>
    private static async Task<int> SettleUntilAsync(VirtualClock clock, Task done)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(Limit.TotalSeconds * TimeProvider.System.TimestampFrequency);
        var settles = 0;
        while (!done.IsCompleted)
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException("the failover did not complete");
            }

            await clock.AdvanceAsync(TimeSpan.Zero);
            settles++;
        }

        await done;
        return settles;
    }
}

using System.Diagnostics;
using FakeEtcd.Benchmarks.Targets;
using Google.Protobuf;

namespace FakeEtcd.Benchmarks.Failover;

/// <summary>
/// A chain of failovers on one target: an active, and before each failover a fresh standby whose
/// watch on the ACTIVE key the server has created. <see cref="FailOverAsync"/> ends the active's
/// term (<see cref="FailoverTrigger"/>) and returns the wall time until the standby's activation
/// callback was entered: watch event → CAS → callback. Sessions run on the wall clock with a 60 s
/// TTL on both targets, so no lease expires during a run (FakeEtcd's virtual clock does not move).
/// </summary>
internal sealed class WatchToActivateRig : IAsyncDisposable
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly TargetServer _server;
    private readonly FailoverTrigger _trigger;
    private Contender _active;
    private Contender? _standby;
    private Contender? _retired;
    private Task _retiring = Task.CompletedTask;

    private WatchToActivateRig(TargetServer server, FailoverTrigger trigger, Contender active)
    {
        _server = server;
        _trigger = trigger;
        _active = active;
    }

    public static async Task<WatchToActivateRig> StartAsync(Target target, FailoverTrigger trigger)
    {
        var server = await TargetServer.StartAsync(target);
        var first = await Contender.StartAsync(server, Ttl, TimeProvider.System);
        await first.Activated.WaitAsync(Limit);
        return new WatchToActivateRig(server, trigger, first);
    }

    /// <summary>Retires the previous active and puts a fresh standby, watching, behind the current one.</summary>
    public async Task PrepareAsync()
    {
        await RetireAsync();
        _standby = await _server.ExplainFailuresAsync(async () =>
        {
            var standby = await Contender.StartAsync(_server, Ttl, TimeProvider.System);
            await standby.Probe.Created.WaitAsync(Limit);
            return standby;
        });
    }

    /// <summary>Ends the active's term and waits for the standby's activation; the wall time in between, by step.</summary>
    public async Task<FailoverTiming> FailOverAsync()
    {
        var standby = _standby ?? throw new InvalidOperationException("PrepareAsync first");
        var started = Stopwatch.GetTimestamp();
        _retiring = _trigger == FailoverTrigger.Revoke
            ? _active.Session.StopAsync()
            : _server.Kv.DeleteRangeAsync(new Etcdserverpb.DeleteRangeRequest { Key = ByteString.CopyFromUtf8(_active.Session.ActiveKey) }).ResponseAsync;
        var activated = await standby.Activated.WaitAsync(Limit);
        (_retired, _active, _standby) = (_active, standby, null);
        var (eventSeen, casSent, casAnswered) = standby.Probe.Steps;
        return new FailoverTiming(
            Stopwatch.GetElapsedTime(started, activated),
            Stopwatch.GetElapsedTime(started, eventSeen),
            Stopwatch.GetElapsedTime(eventSeen, casSent),
            Stopwatch.GetElapsedTime(casSent, casAnswered),
            Stopwatch.GetElapsedTime(casAnswered, activated),
            started);
    }

    public async ValueTask DisposeAsync()
    {
        await RetireAsync();
        if (_standby is not null)
        {
            await _standby.DisposeAsync();
        }

        await _active.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task RetireAsync()
    {
        await _retiring;
        if (_retired is not null)
        {
            await _retired.DisposeAsync();
            _retired = null;
        }
    }
}

using System.Diagnostics;
using Election;

namespace FakeEtcd.Benchmarks.Failover;

/// <summary>
/// Issue 15's failover as a new user writes it: a fresh FakeEtcd on its virtual clock, two sessions
/// (60 s TTL) each on its own channel of <see cref="ClientKind"/>; at 30 s the active's process dies
/// (its last keepalive reached the server at 20 s), then <c>AdvanceAsync</c> to 1 ms before its lease
/// ends and <c>AdvanceAsync(1 ms)</c> onto it. <see cref="RunAsync"/> times the crash and the two
/// advances, and says whether the standby was Standby after the first and Active after the second.
/// </summary>
internal static class UrlFailoverRig
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(20) + Ttl;

    /// <summary>One failover: its wall time, whether the states were exact, and the wall cost of one idle settle after it.</summary>
    public static async Task<(TimeSpan Failover, bool Exact, TimeSpan IdleSettle)> RunAsync(ClientKind kind)
    {
        await using var server = await FakeEtcdServer.StartAsync(kind.ServerOptions());
        using var aChannel = kind.OpenChannel(server);
        using var bChannel = kind.OpenChannel(server);
        await using var a = await Contender.StartAsync(kind.Invoker(server, aChannel), Ttl, server.Clock);
        await server.Clock.AdvanceAsync(TimeSpan.Zero);
        await using var b = await Contender.StartAsync(kind.Invoker(server, bChannel), Ttl, server.Clock);
        await server.Clock.AdvanceAsync(TimeSpan.Zero);
        if ((a.Session.State, b.Session.State) != (SessionState.Active, SessionState.Standby))
        {
            throw new InvalidOperationException($"set-up: {a.Session.State}/{b.Session.State}");
        }

        await server.Clock.AdvanceToAsync(VirtualClock.DefaultStart + TimeSpan.FromSeconds(30));

        var started = Stopwatch.GetTimestamp();
        await a.CrashAsync();
        await server.Clock.AdvanceToAsync(VirtualClock.DefaultStart + Expiry - Tick);
        var before = b.Session.State;
        await server.Clock.AdvanceAsync(Tick);
        var after = b.Session.State;
        var failover = Stopwatch.GetElapsedTime(started);

        var settleStarted = Stopwatch.GetTimestamp();
        await server.Clock.AdvanceAsync(TimeSpan.Zero);
        var idle = Stopwatch.GetElapsedTime(settleStarted);
        return (failover, before == SessionState.Standby && after == SessionState.Active, idle);
    }
}

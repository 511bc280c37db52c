using System.Globalization;
using FakeEtcd;
using FakeEtcd.Simulation;
using FakeEtcd.Simulation.Faults;
using FakeEtcd.Simulation.History;
using FakeEtcd.Simulation.Invariants;
using Grpc.Core;

namespace Election.Tests.Simulation;

/// <summary>Which deliberately broken coordinator replaces a real session: a <see cref="BrokenStandby"/> the last one, a <see cref="BrokenActive"/> the first.</summary>
public enum BrokenCoordinatorKind
{
    /// <summary><see cref="BrokenStandby.IgnoresWatchRevisionAsync"/>: two actives.</summary>
    IgnoresWatchRevision,

    /// <summary><see cref="BrokenStandby.PollsAsync"/>: a late takeover.</summary>
    PollsInsteadOfWatching,

    /// <summary><see cref="BrokenActive.IgnoresItsDeadlineAsync"/>: an active that goes on believing after its lease ended.</summary>
    ActiveIgnoresItsDeadline,
}

/// <summary>
/// The seeded active-standby scenario: 2 or 3 coordinators (ActiveStandbySession, TTL 60 s) on named
/// clients <c>c1..cN</c> of one simulated FakeEtcd, a fault schedule derived from the seed (sometimes with a
/// crash or a graceful stop of c1), a run of <see cref="Horizon"/> virtual time, then every invariant checked
/// on the recorded history. Each active's work runs until cancelled and is noted for the overlapping-work check.
/// </summary>
public static class ActiveStandbyScenario
{
    public const string ServerName = "rootcoord";

    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    /// <summary>The sessions' retry interval after a failed call.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>Faults start within this window (and heal within 60 s of starting).</summary>
    public static readonly TimeSpan FaultWindow = TimeSpan.FromSeconds(100);

    /// <summary>Long enough for a failover after the last fault heals: window + 60 s fault + 60 s TTL + keepalive interval.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromSeconds(240);

    /// <summary>How long an active's work takes to stop after a graceful stop cancels it (flushing, closing); a lost session stops at once, as Milvus exits.</summary>
    public static readonly TimeSpan WindDown = TimeSpan.FromMilliseconds(500);

    /// <summary>A watch event and a CAS take no virtual time; a standby hit by a fault retries after <see cref="RetryInterval"/>.</summary>
    public static readonly FailoverBound Failover = new() { Round = TimeSpan.Zero, Retry = RetryInterval };

    /// <summary>Settle quiet period for the runs: SIM_QUIET_MS, or the clock's default.</summary>
    public static TimeSpan? QuietPeriod { get; } =
        double.TryParse(Environment.GetEnvironmentVariable("SIM_QUIET_MS"), CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms) : null;

    /// <summary>
    /// Runs the scenario for <paramref name="seed"/>; with <paramref name="broken"/> one coordinator is that broken one; <paramref name="quietPeriod"/> overrides the settle's quiet period (SIM_QUIET_MS wins).
    /// Without a <paramref name="schedule"/>, a third of the seeds also stop c1 gracefully at a seeded instant (a rolling restart);
    /// <paramref name="gracefulStopAt"/> sets that instant, and <paramref name="stopOrder"/> what the sessions' stop does first.
    /// </summary>
    public static async Task<ScenarioRun> RunAsync(
        int seed,
        BrokenCoordinatorKind? broken = null,
        FaultSchedule? schedule = null,
        CancellationToken cancellationToken = default,
        TimeSpan? quietPeriod = null,
        TimeSpan? gracefulStopAt = null,
        SessionStopOrder stopOrder = SessionStopOrder.ActivationFirst)
    {
        var random = new Random(seed);
        var coordinators = random.Next(2, 4);
        var clients = Enumerable.Range(1, coordinators).Select(i => "c" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        if (schedule is null)
        {
            schedule = WithCrash(FaultPlanner.Plan(seed, clients, FaultWindow), random);
            gracefulStopAt ??= GracefulStop(random);
        }

        await using var server = await FakeEtcdServer.StartAsync(
            new FakeEtcdServerOptions { Simulation = new SimulationOptions { Seed = seed } }, cancellationToken);
        server.Clock.QuietPeriod = QuietPeriod ?? quietPeriod ?? server.Clock.QuietPeriod;
        using var end = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sessions = new Dictionary<string, ActiveStandbySession>();
        var running = new List<Task>();
        foreach (var client in clients)
        {
            var etcd = server.CreateClient(client);
            const string activeKey = "by-dev/meta/session/" + ServerName;
            if (broken == BrokenCoordinatorKind.ActiveIgnoresItsDeadline && client == clients[0])
            {
                running.Add(BrokenActive.IgnoresItsDeadlineAsync(etcd, server.Clock, server.History, client, ServerName, activeKey, end.Token));
            }
            else if (broken is BrokenCoordinatorKind.IgnoresWatchRevision or BrokenCoordinatorKind.PollsInsteadOfWatching && client == clients[^1])
            {
                running.Add(broken == BrokenCoordinatorKind.IgnoresWatchRevision
                    ? BrokenStandby.IgnoresWatchRevisionAsync(etcd, server.History, client, ServerName, activeKey, end.Token)
                    : BrokenStandby.PollsAsync(etcd, server.Clock, server.History, client, ServerName, activeKey, end.Token));
            }
            else
            {
                var session = await RegisterAsync(server, etcd, client, stopOrder, cancellationToken);
                sessions.Add(client, session);
                running.Add(session.ProcessActiveStandbyAsync(token => WorkAsync(server, client, session, end.Token, token), end.Token));
            }

            await server.Clock.AdvanceAsync(TimeSpan.Zero, cancellationToken);
        }

        server.Faults.Schedule(schedule);
        Task? gracefulStop = null;
        using var stopTimer = gracefulStopAt is { } stopAt && sessions.TryGetValue(clients[0], out var first)
            ? server.Clock.CreateTimer(
                _ =>
                {
                    server.History.Note(clients[0], "graceful stop");
                    gracefulStop = first.StopAsync();
                },
                null,
                stopAt - server.Clock.Elapsed,
                Timeout.InfiniteTimeSpan)
            : null;
        await server.Clock.AdvanceAsync(Horizon, cancellationToken);
        var history = server.History.Entries;

        await end.CancelAsync();

        // An activation may still wind down (a stop waits for it unless revoking first), and a session cut
        // off for good gives its revoke up after RevokeTimeout of virtual time.
        var stopping = sessions.Select(s => (What: s.Key + " stop", Task: s.Value.StopAsync())).Append((What: "c1 graceful stop", Task: gracefulStop ?? Task.CompletedTask))
            .Concat(running.Select((t, i) => (What: clients[i] + " coordinator", Task: t))).ToList();
        // Past the history the instants no longer matter: a step the settle missed on a loaded machine (a
        // revoke's time limit armed late) gets more rounds of virtual time rather than a hang.
        var ended = Task.WhenAll(stopping.Select(t => t.Task));
        for (var round = 0; round < 20 && !ended.IsCompleted; round++)
        {
            try
            {
                await server.Clock.RunUntilAsync(() => ended.IsCompleted, new SessionOptions().RevokeTimeout, cancellationToken);
            }
            catch (VirtualTimeLimitException)
            {
                await Task.WhenAny(ended, Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, cancellationToken));
            }
        }

        if (await Task.WhenAny(ended, Task.Delay(TimeSpan.FromSeconds(30), TimeProvider.System, cancellationToken)) != ended)
        {
            var pending = string.Join(", ", stopping.Where(t => !t.Task.IsCompleted).Select(t => t.What));
            throw new InvalidOperationException($"seed {seed}: still running 20 s of virtual time after the horizon: {pending}");
        }

        await Task.WhenAll(stopping.Select(t => t.Task).Take(sessions.Count + 1));

        foreach (var task in running)
        {
            try
            {
                await task;
            }
            catch (Exception e) when (e is SessionLostException or OperationCanceledException or RpcException)
            {
                // How each session ended is in the history; the checks judge it.
            }
        }

        return new ScenarioRun(seed, coordinators, schedule, history, HistoryChecks.All(history, Failover));
    }

    /// <summary>
    /// In half of the seeds c1 (the first active unless a fault moved the role) also crashes for good at a
    /// seeded instant of the fault window — cut off from the server, so its lease runs out — which makes
    /// sure many seeds exercise a failover, not only the ones whose random faults happen to cause one.
    /// </summary>
    private static FaultSchedule WithCrash(FaultSchedule planned, Random random)
    {
        if (random.Next(2) == 0)
        {
            return planned;
        }

        var crash = new Fault
        {
            Kind = FaultKind.Partition,
            Client = "c1",
            At = TimeSpan.FromMilliseconds(random.Next(1_000, (int)FaultWindow.TotalMilliseconds)),
            Mode = (PartitionMode)random.Next(2),
        };
        return new FaultSchedule { Faults = [.. planned.Faults, crash] };
    }

    /// <summary>In a third of the seeds, c1 is stopped gracefully at a seeded instant of the fault window.</summary>
    private static TimeSpan? GracefulStop(Random random) =>
        random.Next(3) == 0 ? TimeSpan.FromMilliseconds(random.Next(1_000, (int)FaultWindow.TotalMilliseconds)) : null;

    /// <summary>
    /// The active's work, noted for the overlapping-work check: it runs until cancelled; after a graceful
    /// stop it takes <see cref="WindDown"/> to stop, after a loss none (Milvus exits the process).
    /// </summary>
    private static async Task WorkAsync(FakeEtcdServer server, string client, ActiveStandbySession session, CancellationToken runOver, CancellationToken cancellationToken)
    {
        server.History.NoteSession(client, ServerName, SessionNotes.WorkStarted, session.LeaseId);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, server.Clock, cancellationToken);
        }
        catch (OperationCanceledException) when (session.State == SessionState.Stopped && !runOver.IsCancellationRequested)
        {
            await Task.Delay(WindDown, server.Clock, CancellationToken.None);
            throw;
        }
        finally
        {
            server.History.NoteSession(client, ServerName, SessionNotes.WorkEnded, session.LeaseId);
        }
    }

    private static async Task<ActiveStandbySession> RegisterAsync(FakeEtcdServer server, CallInvoker etcd, string client, SessionStopOrder stopOrder, CancellationToken cancellationToken)
    {
        var session = await ActiveStandbySession.RegisterAsync(etcd, new SessionOptions
        {
            ServerName = ServerName,
            Address = client + ":53100",
            Ttl = Ttl,
            TimeProvider = server.Clock,
            StandbyLogInterval = TimeSpan.FromHours(1),
            RetryInterval = RetryInterval,
            StopOrder = stopOrder,
        }, cancellationToken);
        server.History.NoteSession(client, ServerName, SessionNotes.Standby, session.LeaseId);
        session.StateChanged += (_, change) =>
        {
            if (change.Current == SessionState.Active)
            {
                server.History.NoteSession(client, ServerName, SessionNotes.Active, session.LeaseId);
            }
            else if (change.Current is SessionState.Lost or SessionState.Stopped)
            {
                server.History.NoteSession(client, ServerName, SessionNotes.Ended, session.LeaseId);
            }
        };
        return session;
    }
}

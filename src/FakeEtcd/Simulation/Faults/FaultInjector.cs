using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using FakeEtcd.Clock;
using FakeEtcd.Cluster;
using FakeEtcd.Errors;
using FakeEtcd.Simulation.History;
using Grpc.Core;

namespace FakeEtcd.Simulation.Faults;

/// <summary>
/// The server's fault control (<c>server.Faults</c>): takes faults as data, starts each at its virtual
/// instant (or when its revision commits) on the server clock's timers, and heals it on schedule. The
/// gRPC edge asks it what to do with each request, stream message and watch delivery; nothing sleeps.
/// </summary>
public sealed class FaultInjector
{
    /// <summary>etcd's default election timeout: lessor.Promote extends every lease by it.</summary>
    public static readonly TimeSpan ElectionTimeout = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly List<ActiveFault> _active = [];
    private readonly List<Fault> _waitingForRevision = [];
    private readonly Dictionary<string, List<(string Name, string Method, CancellationTokenSource Severed)>> _streams = [];
    private readonly MemberIdentity _identity;
    private readonly Applier _applier;
    private readonly TimeProvider _clock;
    private readonly SimulationHistory _history;

    internal FaultInjector(MemberIdentity identity, Applier applier, TimeProvider clock, SimulationHistory history)
    {
        _identity = identity;
        _applier = applier;
        _clock = clock;
        _history = history;
        applier.Committed += OnCommitted;
    }

    /// <summary>Faults started and not yet healed.</summary>
    public IReadOnlyList<Fault> Active
    {
        get
        {
            lock (_gate)
            {
                return [.. _active.Select(a => a.Fault)];
            }
        }
    }

    /// <summary>Arms every fault of <paramref name="schedule"/>.</summary>
    public void Schedule(FaultSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        foreach (var fault in schedule.Faults)
        {
            Inject(fault);
        }
    }

    /// <summary>Arms one fault: at its instant (now if that has passed) or when its revision commits.</summary>
    public void Inject(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.AtRevision is { } revision)
        {
            if (_applier.CurrentRevision >= revision)
            {
                StartSoon(fault, TimeSpan.Zero);
            }
            else
            {
                lock (_gate)
                {
                    _waitingForRevision.Add(fault);
                }
            }

            return;
        }

        var due = fault.At - _history.Now;
        StartSoon(fault, due > TimeSpan.Zero ? due : TimeSpan.Zero);
    }

    /// <summary>Completes when nothing makes <paramref name="client"/>'s requests hang (a hang partition or a pause).</summary>
    internal async Task WaitUntilReachableAsync(string client, CancellationToken cancellationToken)
    {
        while (FindHang(client) is { } hang)
        {
            // Each waiter is released on its own clock step after the heal, in arrival order.
            await hang.Wait().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A pending hang for the client, if any (the client-side gate of named channels uses it).</summary>
    internal Task? HangFor(string client) => FindHang(client)?.Healed;

    /// <summary>The error a unary request of <paramref name="client"/> to <paramref name="method"/> gets from a fault, if any.</summary>
    internal RpcException? ErrorFor(string client, string method)
    {
        lock (_gate)
        {
            if (_active.Any(a => a.Fault.Kind == FaultKind.Partition && a.Fault.Mode == PartitionMode.Fail && a.AppliesTo(client)))
            {
                return Unreachable();
            }

            foreach (var active in _active)
            {
                if (active.Fault.Kind != FaultKind.FailRequest || !active.AppliesTo(client)
                    || (active.Fault.Method is { } only && only != method))
                {
                    continue;
                }

                if (++active.Matches == active.Fault.Nth)
                {
                    _active.Remove(active);
                    active.Heal();
                    return Injected(active.Fault.Error);
                }
            }

            return null;
        }
    }

    /// <summary>Whether a new stream of the client is refused (fail partition).</summary>
    private RpcException? StreamErrorFor(string client)
    {
        lock (_gate)
        {
            return _active.Any(a => a.Fault.Kind == FaultKind.Partition && a.Fault.Mode == PartitionMode.Fail && a.AppliesTo(client))
                ? Unreachable()
                : null;
        }
    }

    /// <summary>
    /// Refuses a new stream of a partitioned client and records it. The server calls it for every
    /// stream; named in-process channels call it before the stream leaves the client, because whether a
    /// refusal from the server reached the client before or after its first write completed was a race:
    /// refused there, the first write fails every time, as it does against an unreachable etcd.
    /// </summary>
    internal RpcException? RefuseStream(string client, string method)
    {
        if (StreamErrorFor(client) is not { } refused)
        {
            return null;
        }

        _history.Record(new HistoryEntry
        {
            Client = client,
            Kind = HistoryKind.FaultApplied,
            Detail = method + " stream " + RequestText.Error(refused),
        });
        return refused;
    }

    /// <summary>What happens to a keepalive request: null = dropped, otherwise the delay before it is handled.</summary>
    internal TimeSpan? KeepAliveDelayFor(string client)
    {
        lock (_gate)
        {
            if (_active.Any(a => a.AppliesTo(client) && a.Fault.Kind is FaultKind.DropKeepAlives or FaultKind.Partition or FaultKind.PauseServer))
            {
                return null;
            }

            return _active.Where(a => a.AppliesTo(client) && a.Fault.Kind == FaultKind.DelayKeepAlives)
                .Select(a => a.Fault.Delay).DefaultIfEmpty(TimeSpan.Zero).Max();
        }
    }

    /// <summary>How long watch events committed now wait before delivery to the client; null: until a never-healing fault ends (never).</summary>
    internal TimeSpan? WatchHoldFor(string client)
    {
        lock (_gate)
        {
            var now = _history.Now;
            var hold = TimeSpan.Zero;
            foreach (var active in _active.Where(a => a.AppliesTo(client)))
            {
                if (IsHang(active))
                {
                    if (active.HealsAt == TimeSpan.MaxValue)
                    {
                        return null;
                    }

                    hold = Max(hold, active.HealsAt - now);
                }
                else if (active.Fault.Kind == FaultKind.DelayWatch)
                {
                    hold = Max(hold, active.Fault.Delay);
                }
            }

            return hold;
        }
    }

    /// <summary>Registers an open stream of the client; the token is cancelled when a fault severs it. Dispose on stream end.</summary>
    internal IDisposable RegisterStream(string client, string stream, string method, out CancellationToken severed)
    {
        var source = new CancellationTokenSource();
        lock (_gate)
        {
            if (!_streams.TryGetValue(client, out var list))
            {
                _streams[client] = list = [];
            }

            list.Add((stream, method, source));
        }

        severed = source.Token;
        return new StreamRegistration(this, client, source);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static bool IsHang(ActiveFault active) =>
        active.Fault.Kind == FaultKind.PauseServer || (active.Fault.Kind == FaultKind.Partition && active.Fault.Mode == PartitionMode.Hang);

    private static RpcException Unreachable() =>
        new(new Status(StatusCode.Unavailable, "connection error: desc = \"transport: Error while dialing: dial tcp: connect: connection refused\""));

    private static RpcException Injected(InjectedError error) => new(error switch
    {
        InjectedError.RequestTimedOut => new Status(StatusCode.Unavailable, "etcdserver: request timed out"),
        InjectedError.LeaderChanged => new Status(StatusCode.Unavailable, "etcdserver: leader changed"),
        _ => new Status(StatusCode.Unavailable, "etcdserver: no leader"),
    });

    private ActiveFault? FindHang(string client)
    {
        lock (_gate)
        {
            return _active.FirstOrDefault(a => IsHang(a) && a.AppliesTo(client));
        }
    }

    private void OnCommitted(Mvcc.CommittedRevision committed)
    {
        lock (_gate)
        {
            var due = _waitingForRevision.Where(f => f.AtRevision <= committed.Revision).ToList();
            foreach (var fault in due)
            {
                _waitingForRevision.Remove(fault);

                // Under the apply lock: start it from a timer due now, so it runs outside the commit.
                StartSoon(fault, TimeSpan.Zero);
            }
        }
    }

    private void StartSoon(Fault fault, TimeSpan due)
    {
        OneShotTimer.Schedule(_clock, due, () => Start(fault));
    }

    private void Start(Fault fault)
    {
        _history.Record(new HistoryEntry { Client = ClientIdentity.Server, Kind = HistoryKind.FaultStarted, Key = fault.Client ?? "*", Detail = fault.Describe(), Fault = fault });
        switch (fault.Kind)
        {
            case FaultKind.SeverStreams:
                Sever(fault.Client);
                return;
            case FaultKind.Compact:
                Compact(fault.CompactRevision);
                return;
            case FaultKind.LeaderChange:
                _identity.NewTerm();
                _applier.PromoteLeases(ElectionTimeout);
                return;
        }

        var healsAt = fault.Duration > TimeSpan.Zero ? _history.Now + fault.Duration : TimeSpan.MaxValue;
        var active = new ActiveFault(fault, healsAt);
        lock (_gate)
        {
            _active.Add(active);
        }

        if (fault.Kind == FaultKind.Partition && fault.Mode == PartitionMode.Fail)
        {
            Sever(fault.Client);
        }

        if (fault.Duration > TimeSpan.Zero)
        {
            OneShotTimer.Schedule(_clock, fault.Duration, () => Heal(active));
        }
    }

    private void Heal(ActiveFault active)
    {
        lock (_gate)
        {
            if (!_active.Remove(active))
            {
                return; // A FailRequest that already fired.
            }
        }

        _history.Record(new HistoryEntry { Client = ClientIdentity.Server, Kind = HistoryKind.FaultHealed, Key = active.Fault.Client ?? "*", Detail = active.Fault.Describe(), Fault = active.Fault });
        active.Heal();
        foreach (var (index, waiter) in active.TakeWaiters().Index())
        {
            OneAtATime(index, () => waiter.TrySetResult());
        }
    }

    private void Compact(long revision)
    {
        try
        {
            _applier.Compact(new CompactionRequest { Revision = revision == 0 ? _applier.CurrentRevision : revision });
        }
        catch (EtcdException e)
        {
            _history.Record(new HistoryEntry { Client = ClientIdentity.Server, Kind = HistoryKind.FaultApplied, Detail = "compact failed: " + e.Message });
        }
    }

    /// <summary>
    /// Severs the streams in (client, opening) order, one virtual millisecond apart (the clock settles in
    /// between): the clients react one at a time, and timers they arm in reaction (retry back-offs) fall
    /// due in that order too, whatever the thread scheduling. Each is recorded as it is severed.
    /// </summary>
    private void Sever(string? client)
    {
        List<(string Name, string Method, CancellationTokenSource Severed)> severed;
        lock (_gate)
        {
            severed = [.. _streams.Where(s => client is null || s.Key == client).OrderBy(s => s.Key, StringComparer.Ordinal).SelectMany(s => s.Value)];
        }

        foreach (var (index, (name, method, source)) in severed.Index())
        {
            OneAtATime(index, () =>
            {
                _history.Record(new HistoryEntry
                {
                    Client = name[..name.LastIndexOf('#')],
                    Kind = HistoryKind.StreamSevered,
                    Stream = name,
                    Detail = method,
                });
                try
                {
                    source.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The stream ended meanwhile.
                }
            });
        }
    }

    /// <summary>The virtual time between actions that one fault applies to several clients.</summary>
    private static readonly TimeSpan Stagger = TimeSpan.FromMilliseconds(1);

    /// <summary>Runs the first action now and the n-th one <see cref="Stagger"/> × n later, from its own timer.</summary>
    private void OneAtATime(int index, Action action)
    {
        if (index == 0)
        {
            action();
            return;
        }

        OneShotTimer.Schedule(_clock, Stagger * index, () => action());
    }

    private void Unregister(string client, CancellationTokenSource source)
    {
        lock (_gate)
        {
            if (_streams.TryGetValue(client, out var list))
            {
                list.RemoveAll(s => s.Severed == source);
            }
        }

        source.Dispose();
    }

    private sealed class StreamRegistration(FaultInjector owner, string client, CancellationTokenSource source) : IDisposable
    {
        public void Dispose() => owner.Unregister(client, source);
    }
}

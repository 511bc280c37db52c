using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using FakeEtcd.Clock;
using FakeEtcd.Cluster;
using FakeEtcd.Mvcc;
using FakeEtcd.Simulation.Faults;
using FakeEtcd.Simulation.History;
using FakeEtcd.Watch;

namespace FakeEtcd.Simulation;

/// <summary>
/// A server's simulation state: history, faults, stream names and the seeded tie-break generator.
/// Hooked into the apply path (commits, lease ends) here and into the gRPC edge by the services.
/// </summary>
internal sealed class Simulator : IWatchDeliveryGate, IWatchObserver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _streamCounts = [];
    private readonly Random _ties;
    private readonly TimeProvider _clock;
    private long _calls;

    public Simulator(MemberIdentity identity, Applier applier, TimeProvider clock, ActivityTracker activity, SimulationOptions options)
    {
        Options = options;
        _ties = new Random(options.Seed);
        _clock = clock;
        Activity = activity;
        History = new SimulationHistory(clock, () => applier.CurrentRevision);
        Faults = new FaultInjector(identity, applier, clock, History);
        applier.Committed += OnCommitted;
        applier.LeaseEnded += OnLeaseEnded;
    }

    public SimulationOptions Options { get; }

    public ActivityTracker Activity { get; }

    public SimulationHistory History { get; }

    public FaultInjector Faults { get; }

    /// <summary>A number for a unary call, shared by its request and response entries (not part of the history text).</summary>
    public long NextCall() => Interlocked.Increment(ref _calls);

    /// <summary>The next stream name of <paramref name="client"/>: <c>client#1</c>, <c>client#2</c>, ...</summary>
    public string NextStreamName(string client)
    {
        lock (_gate)
        {
            var n = _streamCounts.GetValueOrDefault(client) + 1;
            _streamCounts[client] = n;
            return client + "#" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Shuffles <paramref name="items"/> in place with the seeded generator (Fisher-Yates).</summary>
    public void Shuffle<T>(IList<T> items)
    {
        lock (_gate)
        {
            for (var i = items.Count - 1; i > 0; i--)
            {
                var j = _ties.Next(i + 1);
                (items[i], items[j]) = (items[j], items[i]);
            }
        }
    }

    /// <summary>
    /// Each stream that gets events of one revision is held and released by its own timer, in a
    /// seed-shuffled order (and later under watch-delay faults), so watchers of one revision react one
    /// at a time, settling in between, in an order the seed decides.
    /// </summary>
    public void Hold(IList<WatchSession> sessions)
    {
        Shuffle(sessions);
        foreach (var session in sessions)
        {
            HoldDelivery(session);
        }
    }

    /// <summary>Holds the stream's outbox and arms the timer that releases it (never, under a hang that never heals).</summary>
    private void HoldDelivery(WatchSession session)
    {
        var hold = Faults.WatchHoldFor(session.Client);
        session.Outbox.Hold();
        if (hold is null)
        {
            return;
        }

        OneShotTimer.Schedule(_clock, hold.Value, () => session.Outbox.Release());
    }

    public void WatchCreated(WatchSession session, long watchId, WatchCreateRequest request, long revision) => History.Record(new HistoryEntry
    {
        Client = session.Client,
        Kind = HistoryKind.WatchCreated,
        Revision = revision,
        Stream = session.StreamName,
        WatchId = watchId,
        Key = request.Key.ToStringUtf8(),
        RangeEnd = request.RangeEnd.ToStringUtf8(),
        StartRevision = request.StartRevision,
        Detail = "from " + request.StartRevision.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + string.Concat(request.Filters.Select(f => f switch
            {
                WatchCreateRequest.Types.FilterType.Noput => " noput",
                WatchCreateRequest.Types.FilterType.Nodelete => " nodelete",
                _ => string.Empty, // etcd ignores unknown filter values.
            })),
    });

    /// <summary>Records that a watcher ended on the server (see <see cref="HistoryKind.WatchEnded"/>).</summary>
    public void WatchEnded(WatchSession session, long watchId, string reason, long revision) => History.RecordAtEndOfInstant(new HistoryEntry
    {
        Client = session.Client,
        Kind = HistoryKind.WatchEnded,
        Revision = revision,
        Stream = session.StreamName,
        WatchId = watchId,
        Detail = reason,
    });

    /// <summary>Records a watch response about to be written if it carries events or ends the watcher.</summary>
    public void Delivered(WatchSession session, WatchResponse response)
    {
        if (response.Events.Count == 0 && !response.Canceled)
        {
            return;
        }

        History.Record(new HistoryEntry
        {
            Client = session.Client,
            Kind = HistoryKind.WatchDelivered,
            Revision = response.Header.Revision,
            Stream = session.StreamName,
            WatchId = response.WatchId,
            Events = Describe(response.Events),
            Detail = response.Canceled ? "canceled compact=" + response.CompactRevision.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty,
        });
    }

    public static List<HistoryEvent> Describe(IEnumerable<EtcdProtocol.Mvccpb.Event> events) =>
        [.. events.Select(e => new HistoryEvent(e.Type == EtcdProtocol.Mvccpb.Event.Types.EventType.Put ? "PUT" : "DELETE", e.Kv.Key.ToStringUtf8(), e.Kv.ModRevision, e.Kv.Lease))];

    private void OnCommitted(CommittedRevision committed) => History.Record(new HistoryEntry
    {
        Client = CallAttribution.Current,
        Kind = HistoryKind.Commit,
        Revision = committed.Revision,
        Events = Describe(committed.Events),
    });

    private void OnLeaseEnded(long leaseId, bool expired) => History.Record(new HistoryEntry
    {
        Client = CallAttribution.Current,
        Kind = expired ? HistoryKind.LeaseExpired : HistoryKind.LeaseRevoked,
        LeaseId = leaseId,
    });
}

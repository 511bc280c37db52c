using EtcdProtocol.Etcdserverpb;
using EtcdProtocol.Mvccpb;
using FakeEtcd.Apply;
using FakeEtcd.Clock;
using FakeEtcd.Cluster;
using FakeEtcd.Watch;
using static FakeEtcd.Tests.Support.Requests;

namespace FakeEtcd.Tests.Watch;

/// <summary>The watcher registry on the apply path, without gRPC: delivery, catch-up, slow consumers, progress.</summary>
public sealed class WatchHubTests : IDisposable
{
    private readonly Applier _etcd = new(new EtcdLimits(), new VirtualClock());
    private readonly ActivityTracker _activity = new();
    private readonly WatchHub _hub;

    public WatchHubTests() => _hub = new WatchHub(_etcd);

    public void Dispose() => _etcd.Dispose();

    private WatchSession Session(int capacity = 1024) => new(new WatchOutbox(_activity, capacity));

    private static WatchCreateRequest On(string key, string? end = null, long start = 0, long id = 0) =>
        new() { Key = B(key), RangeEnd = end is null ? Google.Protobuf.ByteString.Empty : B(end), StartRevision = start, WatchId = id };

    /// <summary>What a sender does: dequeue in order and end each response's activity once written.</summary>
    private List<WatchResponse> Drain(WatchSession session)
    {
        var drained = new List<WatchResponse>();
        while (session.Outbox.Count > 0)
        {
            var next = session.Outbox.DequeueAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            drained.Add(next!.Value.Response);
            next.Value.Counted.Dispose();
        }

        return drained;
    }

    private static IEnumerable<long> Revisions(IEnumerable<WatchResponse> responses) =>
        responses.SelectMany(r => r.Events).Select(e => e.Kv.ModRevision);

    [Fact]
    public void Live_delivery_is_one_response_per_revision_with_its_revision()
    {
        var session = Session();
        _hub.Create(session, On("a", "c"));
        _etcd.Put(Put("a", "1"));                                          // 2
        _etcd.Txn(Txn([], [Op(Put("b", "1")), Op(Put("z", "1")), Op(Put("a", "2"))])); // 3
        var responses = Drain(session);
        Assert.True(responses[0].Created);
        Assert.Equal([2L, 3L], responses.Skip(1).Select(r => r.Header.Revision));
        Assert.Equal(["b", "a"], responses[2].Events.Select(e => S(e.Kv.Key)));
        Assert.Equal(1, _hub.SyncedCount);
    }

    [Fact]
    public void Created_responses_keep_request_order_and_auto_ids_skip_used_ones()
    {
        var session = Session();
        _hub.Create(session, On("a", id: 1));
        _hub.Create(session, On("a"));
        _hub.Create(session, On("a"));
        _hub.Create(session, On("b", "a"));
        _hub.Create(session, On("a", id: 1));
        var responses = Drain(session);
        Assert.Equal([1L, 0L, 2L, -1L, -1L], responses.Select(r => r.WatchId));
        Assert.Equal(["", "", "", WatchResponses.EmptyRangeReason, WatchResponses.DuplicateIdReason], responses.Select(r => r.CancelReason));
    }

    [Fact]
    public void A_full_stream_never_blocks_the_writer_and_catches_up_from_history_exactly_once()
    {
        var session = Session(capacity: 4);
        var other = Session();
        _hub.Create(session, On("k"));
        _hub.Create(other, On("k"));
        for (var i = 0; i < 50; i++)
        {
            _etcd.Put(Put("k", i.ToString(System.Globalization.CultureInfo.InvariantCulture))); // 2..51
        }

        Assert.Equal(4, session.Outbox.Count);                             // Bounded: created + 3 events.
        Assert.Single(session.Unsynced);
        Assert.Equal(51, Drain(other).Count);                              // The other stream is unaffected.

        var seen = new List<WatchResponse>();
        for (var round = 0; round < 10 && (session.Outbox.Count > 0 || session.Unsynced.Count > 0); round++)
        {
            seen.AddRange(Drain(session));
            if (session.Outbox.TakeCatchUpRequest())
            {
                _hub.CatchUp(session);
            }
        }

        Assert.Empty(session.Unsynced);

        Assert.Equal(Enumerable.Range(2, 50).Select(r => (long)r), Revisions(seen));
        Assert.Equal(51, seen[^1].Header.Revision);                        // Catch-up: the current revision.
        _etcd.Put(Put("k", "live"));                                       // 52: synced again.
        Assert.Equal(52, Assert.Single(Drain(session)).Header.Revision);
        Assert.Single(Drain(other));
        Assert.Equal(0, _activity.InFlight);                                // Every queued response counted once.
    }

    [Fact]
    public void A_slow_watcher_that_falls_behind_compaction_is_canceled_with_the_compact_revision()
    {
        var session = Session(capacity: 2);
        _hub.Create(session, On("k"));
        for (var i = 0; i < 5; i++)
        {
            _etcd.Put(Put("k", "v"));                                      // 2..6
        }

        _etcd.Compact(new CompactionRequest { Revision = 5 });
        var drained = Drain(session);                                      // created, rev 2
        Assert.Equal([2L], Revisions(drained));
        _hub.CatchUp(session);                                             // needs 3, compacted at 5
        var cancel = Assert.Single(Drain(session));
        Assert.Equal((true, 5L, 0L, 0L), (cancel.Canceled, cancel.CompactRevision, cancel.Header.Revision, cancel.WatchId));
        _hub.Cancel(session, 0);                                           // The id stays taken until canceled.
        Assert.True(Assert.Single(Drain(session)).Canceled);
    }

    [Fact]
    public void Catch_up_sends_at_most_1000_revisions_per_response()
    {
        for (var i = 0; i < 2500; i++)
        {
            _etcd.Put(Put("k", "v"));                                      // 2..2501
        }

        var session = Session();
        _hub.Create(session, On("k", start: 1));
        var responses = Drain(session);
        Assert.Equal([0, 1000, 1000, 500], responses.Select(r => r.Events.Count));
        Assert.All(responses, r => Assert.Equal(2501, r.Header.Revision));
    }

    [Fact]
    public void Progress_request_only_when_all_watchers_synced_and_started()
    {
        var session = Session(capacity: 2);
        _hub.RequestProgressAll(session);
        Assert.Empty(Drain(session));                                      // No watchers: nothing.

        _hub.Create(session, On("k"));
        _hub.Create(session, On("f", start: 100));
        _hub.RequestProgressAll(session);
        Assert.Equal(2, Drain(session).Count);                             // Only the two created responses.

        _hub.Cancel(session, 1);
        Drain(session);
        _etcd.Put(Put("k", "1"));
        _etcd.Put(Put("k", "2"));
        _etcd.Put(Put("k", "3"));                                          // Overflows: watcher 0 unsynced.
        _hub.RequestProgressAll(session);
        Assert.DoesNotContain(Drain(session), r => r.WatchId == -1);
        _hub.CatchUp(session);
        Drain(session);
        _hub.RequestProgressAll(session);
        var progress = Assert.Single(Drain(session));
        Assert.Equal((-1L, 4L), (progress.WatchId, progress.Header.Revision));
    }

    [Fact]
    public void Progress_tick_skips_watchers_that_got_events_since_the_last_tick()
    {
        var session = Session();
        var create = On("k");
        create.ProgressNotify = true;
        _hub.Create(session, create);
        _hub.Create(session, On("other"));
        Drain(session);
        _hub.ProgressTick(session);
        Assert.Equal((0L, 1L), Assert.Single(Drain(session)) is var p ? (p.WatchId, p.Header.Revision) : default);
        _etcd.Put(Put("k", "1"));
        _hub.ProgressTick(session);
        Assert.Single(Drain(session));                                     // Just the event.
        _hub.ProgressTick(session);
        Assert.Equal(2, Assert.Single(Drain(session)).Header.Revision);
    }

    [Fact]
    public void Progress_tick_for_a_future_start_watcher_only_under_the_3_4_profile()
    {
        // 3.5.22 (etcd#20245) holds progress back until the start revision is reached; 3.4.23 does not.
        foreach (var (profile, expected) in new[] { (EtcdProfile.Etcd35, 0), (EtcdProfile.Etcd34, 1) })
        {
            var hub = new WatchHub(_etcd, profile: profile);
            var session = Session();
            var create = On("k", start: 100);
            create.ProgressNotify = true;
            hub.Create(session, create);
            Drain(session);
            hub.ProgressTick(session);
            Assert.Equal(expected, Drain(session).Count(r => r.WatchId == 0 && r.Events.Count == 0));
            hub.Close(session);
        }
    }

    [Fact]
    public void Start_revision_minus_one_before_any_compaction_syncs_at_the_next_revision_under_the_3_4_profile()
    {
        // etcd 3.4.23 reads history from revision bytes above every real revision: nothing, then synced.
        var hub = new WatchHub(_etcd, profile: EtcdProfile.Etcd34);
        _etcd.Put(Put("k", "1"));                                          // 2
        var session = Session();
        hub.Create(session, On("k", start: -1));
        _etcd.Put(Put("k", "2"));                                          // 3
        var responses = Drain(session);
        Assert.Equal((true, false, 0L), (responses[0].Created, responses[0].Canceled, responses[0].WatchId));
        Assert.Equal([3L], Revisions(responses));
    }

    [Fact]
    public void Negative_start_below_the_compact_revision_is_canceled_as_compacted_under_the_3_4_profile()
    {
        var hub = new WatchHub(_etcd, profile: EtcdProfile.Etcd34);
        _etcd.Put(Put("k", "1"));                                          // 2
        _etcd.Compact(new CompactionRequest { Revision = 2 });
        var session = Session();
        hub.Create(session, On("k", start: -1));
        var responses = Drain(session);
        Assert.Equal(2, responses.Count);
        Assert.True(responses[0].Created);
        Assert.Equal((true, 2L, 0L), (responses[1].Canceled, responses[1].CompactRevision, responses[1].Header.Revision));
    }

    [Fact]
    public void Prev_kv_is_omitted_for_create_events_and_compacted_previous_revisions()
    {
        _etcd.Put(Put("k", "1"));                                          // 2
        _etcd.Put(Put("k", "2"));                                          // 3
        _etcd.Compact(new CompactionRequest { Revision = 3 });
        var session = Session();
        var create = On("k", start: 3);
        create.PrevKv = true;
        _hub.Create(session, create);
        _etcd.Put(Put("k", "3"));                                          // 4: prev is revision 3
        _etcd.DeleteRange(Delete("k"));                                       // 5
        _etcd.Put(Put("k", "4"));                                          // 6: create event
        var events = Drain(session).SelectMany(r => r.Events).ToList();
        Assert.Equal([null, "2", "3", null], events.Select(e => e.PrevKv is null ? null : S(e.PrevKv.Value)));
        Assert.Equal(Event.Types.EventType.Delete, events[2].Type);
        Assert.Equal((B("k"), 5L, 0L, 0L), (events[2].Kv.Key, events[2].Kv.ModRevision, events[2].Kv.CreateRevision, events[2].Kv.Version));
    }
}

using Etcdserverpb;
using static FakeEtcd.Tests.Differential.Req;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// Watch streams against real etcd: created responses, history replay, filters, prev_kv, cancel,
/// ids and invalid ranges, compared as full response sequences per watch id.
/// </summary>
public sealed class WatchDiffTests : KvDifferentialTest
{
    internal static WatchCreateRequest WatchOn(string key, string? end = null, long start = 0, long id = 0, bool prevKv = false, params WatchCreateRequest.Types.FilterType[] filters)
    {
        var create = new WatchCreateRequest { Key = B(key), RangeEnd = end is null ? Google.Protobuf.ByteString.Empty : B(end), StartRevision = start, WatchId = id, PrevKv = prevKv };
        create.Filters.AddRange(filters);
        return create;
    }

    [Fact]
    public async Task History_replay_for_key_prefix_from_key_and_empty_key()
    {
        await Pair.Put("a", "1");                                  // 2
        await Pair.Put("b/1", "1");                                // 3
        await Pair.Txn(Txn(success: [Op(Put("b/2", "1")), Op(Put("a", "2"))])); // 4
        await Pair.Delete(Delete("b/", "b0"));                     // 5
        await Pair.Put("\0", "x");                                 // 6: the "\0" key
        await using var w = WatchDiff.Open(Pair);
        // Every watcher has history to replay: etcd moves a watcher to its synced group in the same
        // step that sends its catch-up, so receiving that response shows live delivery has begun
        // (a watcher with nothing to replay syncs silently up to 100 ms later, a race to avoid).
        await w.Create(WatchOn("a", start: 2));                    // 0: single key
        await w.Create(WatchOn("b/", "b0", start: 3));             // 1: prefix
        await w.Create(WatchOn("b", "\0", start: 4));              // 2: from key
        await w.Create(WatchOn("", "\0", start: 1));               // 3: empty key = "\0", every key
        await w.Create(WatchOn("", start: 2));                     // 4: empty key alone watches "\0"
        await w.Create(WatchOn("a", start: 4));                    // 5
        await w.Expect(6 + 6, "created x6, then one catch-up response each");
        await Pair.Put("a", "3");                                  // 7: live, watchers 0, 3, 5
        await Pair.Put("\0", "y");                                 // 8: live, watchers 3, 4
        await w.Expect(5, "live events after catch-up");
        await w.Fence(alsoSeenBy: 2); // watchers 2 and 3 cover every key from "b"
    }

    [Fact]
    public async Task Filters_and_prev_kv_on_live_events()
    {
        await Pair.Put("k", "0");                                  // 2
        await using var w = WatchDiff.Open(Pair);
        await w.Create(WatchOn("k", prevKv: true));                  // 0
        await w.Create(WatchOn("k", filters: WatchCreateRequest.Types.FilterType.Noput));     // 1
        await w.Create(WatchOn("k", prevKv: true, filters: WatchCreateRequest.Types.FilterType.Nodelete)); // 2
        await w.Create(WatchOn("k", filters: [WatchCreateRequest.Types.FilterType.Noput, WatchCreateRequest.Types.FilterType.Nodelete])); // 3: sees nothing
        await w.Expect(4, "created");
        await Pair.Put("k", "1");                                  // 3: update, prev_kv
        await Pair.Delete(Delete("k"));                            // 4: delete, prev_kv = deleted value
        await Pair.Put("k", "2");                                  // 5: create event: never prev_kv
        await w.Expect(3 + 1 + 2, "watcher 0: 3 events, 1: the delete, 2: two puts; watcher 3 nothing");
        await w.Cancel(3);
        await w.Expect(1, "cancel of the all-filtered watcher: no event response came before it");
        await w.Fence();
    }

    [Fact]
    public async Task Prev_kv_and_filters_during_catch_up()
    {
        await Pair.Put("p/a", "1");                                // 2
        await Pair.Put("p/a", "2");                                // 3
        await Pair.Put("p/b", "1");                                // 4
        await Pair.Delete(Delete("p/", "p0"));                     // 5: both keys in one revision
        await using var w = WatchDiff.Open(Pair);
        await w.Create(WatchOn("p/", "p0", start: 2, prevKv: true));
        await w.Create(WatchOn("p/", "p0", start: 2, filters: WatchCreateRequest.Types.FilterType.Nodelete));
        await w.Create(WatchOn("p/", "p0", start: 5, filters: WatchCreateRequest.Types.FilterType.Noput));
        await w.Create(WatchOn("p/", "p0", start: 2, filters: [WatchCreateRequest.Types.FilterType.Noput, WatchCreateRequest.Types.FilterType.Nodelete]));
        await w.Expect(4 + 3, "created x4, catch-up for the first three (the fourth's is all filtered)");
        await w.Fence();
    }

    [Fact]
    public async Task Multi_revision_txn_and_lease_revoke_arrive_as_one_response_per_revision()
    {
        await Pair.Grant(0x77);
        await using var w = WatchDiff.Open(Pair);
        await w.Create(WatchOn("", "\0", prevKv: true));
        await w.Expect(1, "created");
        await Pair.Txn(Txn(success: [Op(Put("x", "1", lease: 0x77)), Op(Put("y", "1", lease: 0x77)), Op(Put("z", "1"))])); // 2
        await Pair.Both(c => c.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = 0x77 }).ResponseAsync); // 3: x and y
        await Pair.Delete(Delete("a", "zz"));                      // 4: z
        await w.Expect(3, "one response per revision");
        await w.Fence(alsoSeenBy: 1);
    }

    [Fact]
    public async Task Client_chosen_ids_auto_ids_duplicates_and_invalid_ranges()
    {
        await using var w = WatchDiff.Open(Pair);
        await w.Create(WatchOn("a", id: 2));                         // 2 (as dotnet-etcd does)
        await w.Create(WatchOn("a"));                                // auto: 0
        await w.Create(WatchOn("a", id: 1));                         // 1
        await w.Create(WatchOn("a"));                                // auto: 3, skipping 1 and 2
        await w.Create(WatchOn("a", id: 2));                         // duplicate
        await w.Create(WatchOn("b", "a"));                           // end < key
        await w.Create(WatchOn("b", "b"));                           // end == key
        await w.Create(WatchOn("", "\0", id: 9));
        await w.Create(WatchOn("a", id: -7));                        // any non-zero id is taken as given
        await w.Expect(9, "created responses in request order, rejections as created+canceled with id -1");
        await w.Cancel(2);
        await w.Create(WatchOn("a", id: 2));                         // free again
        await w.Create(WatchOn("a"));                                // auto: 4
        await w.Expect(3, "cancel, then the id is reusable");
        await Pair.Put("a", "1");
        await w.Expect(7, "every live watcher on a sees the put: ids -7, 0, 1, 2, 3, 4, 9");
        await w.Fence(alsoSeenBy: 1); // watcher 9 covers every key
    }

    [Fact]
    public async Task Cancel_known_once_unknown_never()
    {
        await using var w = WatchDiff.Open(Pair);
        await w.Create(WatchOn("k"));                                // 0
        await w.Expect(1, "created");
        await w.Cancel(42);                                        // unknown: no response
        await w.Cancel(0);                                         // known: one canceled response
        await w.Cancel(0);                                         // now unknown: nothing
        await w.Create(WatchOn("fence"));                            // 0 again (auto ids skip only ids in use)
        await w.Expect(2, "one canceled response, then the fence's created");
        await Pair.Put("k", "1");
        await Pair.Put("fence", "1");
        await w.Expect(1, "no events for the canceled watcher");
        await w.Fence();
    }

    [Fact]
    public async Task Compacted_start_revision_gets_created_then_compaction_cancel()
    {
        await Pair.Put("k", "1");                                  // 2
        await Pair.Put("k", "2");                                  // 3
        await Pair.Put("k", "3");                                  // 4
        await Pair.Put("k", "4");                                  // 5
        await Pair.Compact(4);
        await using var w = WatchDiff.Open(Pair);
        await w.Create(WatchOn("k", start: 2));                      // 0: compacted
        await w.Create(WatchOn("k", start: 4, prevKv: true));        // 1: exactly the compact revision is fine; prev of 4 is compacted
        await w.Create(WatchOn("k", start: 3));                      // 2: compacted
        await w.Expect(3 + 2 + 1, "created x3, compaction cancels (header revision 0), catch-up from 4");
        await w.Create(WatchOn("k", start: 2));                      // ids 0-2 stay taken by the compacted watchers: auto picks 3
        await w.Expect(2, "created and compaction cancel");
        await w.Cancel(0);                                         // a compacted watcher still answers a cancel
        await w.Expect(1, "cancel of a compacted watcher");
        await w.Fence();
    }

    [Fact]
    public async Task Progress_request_when_every_watcher_is_synced()
    {
        await Pair.Put("k", "1");                                  // 2
        await using var w = WatchDiff.Open(Pair);
        await w.Create(WatchOn("k"));
        await w.Create(WatchOn("k", start: 2));
        await w.Expect(3, "created x2 and the catch-up of the second");
        await w.RequestProgress();
        await w.Expect(1, "progress: watch id -1, current revision");
        await Pair.Put("k", "2");
        await w.RequestProgress();
        await w.Expect(3, "events, then progress at the new revision");
        await w.Fence();
    }

    [Fact]
    public async Task Half_close_keeps_the_watches_running()
    {
        await using var w = WatchDiff.Open(Pair);
        await w.Create(WatchOn("k"));
        await w.Expect(1, "created");
        await w.CompleteRequests();
        await Pair.Put("k", "1");
        await Pair.Put("k", "2");
        await w.Expect(2, "events after half-close");
        await Pair.Put("k", "3"); // no new watcher after a half-close: the fence is one more put on the watched key
        await w.Expect(1, "fence: the put at 4 alone, nothing trailing before it");
    }

    [Fact]
    public async Task Large_catch_up_is_fragmented_for_fragment_watchers()
    {
        var value = new string('v', 1000 * 1024);
        for (var i = 0; i < 3; i++)
        {
            await Pair.Put($"big/{i}", value);                     // 2, 3, 4: ~3 MB of history
        }

        await using var w = WatchDiff.Open(Pair);
        var fragmented = WatchOn("big/", "big0", start: 2);
        fragmented.Fragment = true;
        await w.Create(fragmented);
        await w.Expect(1 + 2, "created, then the 3-event catch-up split under the 2 MiB limit");
        await w.Create(WatchOn("big/1", start: 3, id: 5));
        await w.Expect(2, "a single event is never split");
        await w.Fence();
    }
}

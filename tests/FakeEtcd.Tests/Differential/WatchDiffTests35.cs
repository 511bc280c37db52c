using static FakeEtcd.Tests.Differential.Req;
using static FakeEtcd.Tests.Differential.WatchDiffTests;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// Watch behaviours where etcd 3.4.23 (the runnable reference) and 3.5 differ (docs/compatibility.md).
/// Each test runs the shared steps against both; under the 3.4 profile (FAKEETCD_DIFF_PROFILE=3.4)
/// the step compares exactly with the reference, under the default 3.5 profile the candidate is
/// checked against the 3.5 facts of reference/etcd-semantics.md §7 and §12.
/// </summary>
public sealed class WatchDiffTests35 : KvDifferentialTest
{
    [Fact]
    public async Task Progress_request_on_a_stream_without_watchers()
    {
        // 3.4.23 answers every progress request at once over its control channel (before 3.4.25);
        // 3.5.13+ (RequestProgressAll, etcd#17566) answers only when the stream has watchers, all synced.
        await using var w = WatchDiff.Open(Pair);
        await w.RequestProgress();
        await w.Create(WatchOn("fence"));
        await w.Expect35(2, "3.4: progress reply (id -1, revision 1), then the fence's created", 1, candidate =>
        {
            Assert.True(candidate[0].Created, "the first response must be the fence's created: no progress reply");
            Assert.Equal(0, candidate[0].WatchId);
        });
        await w.Fence();
    }

    [Fact]
    public async Task Progress_request_with_a_future_start_watcher()
    {
        // 3.5.22+ (etcd#20245) skips progress while a watcher's start revision is above the current
        // revision (a progress revision would announce revisions it has not seen); 3.4.23 answers at once.
        await Pair.Put("k", "1");                                  // 2
        await using var w = WatchDiff.Open(Pair);
        await w.Create(WatchOn("k", start: 10));
        await w.Expect(1, "created");
        await w.RequestProgress();
        await w.Create(WatchOn("fence"));
        await w.Expect35(2, "3.4: progress reply (id -1, revision 2), then the fence's created", 1, candidate =>
        {
            Assert.True(candidate[0].Created, "no progress reply before the fence's created");
            Assert.Equal(1, candidate[0].WatchId);
        });
        await w.Fence();
    }

    [Fact]
    public async Task Negative_start_revision()
    {
        // etcd ≥ 3.5.24 (etcd#20709) rejects it as created + canceled. 3.4.23 creates the watcher as
        // unsynced at that revision, below its compact revision (-1 before any compaction), so its
        // sync loop cancels it as compacted: compact_revision -1, header revision 0.
        await Pair.Put("k", "1");
        await using var w = WatchDiff.Open(Pair);
        await w.Create(WatchOn("k", start: -3));
        await w.Create(WatchOn("fence"));
        await w.Expect35(3, "3.4: created 0, compacted 0 (compact_revision -1), created 1 (fence)", 2, candidate =>
        {
            Assert.Equal(
                (true, true, -1L, "etcdserver: mvcc: required revision has been compacted", 2L),
                (candidate[0].Created, candidate[0].Canceled, candidate[0].WatchId, candidate[0].CancelReason, candidate[0].Header.Revision));
            Assert.True(candidate[1].Created);
            Assert.Equal(0, candidate[1].WatchId);
        });
        await w.Fence();
    }

    [Fact]
    public async Task Delete_at_the_compaction_revision()
    {
        // etcd#18089: 3.4.23's compaction removes a tombstone at exactly the compact revision, so a
        // watch that starts there misses the delete (a physical compaction makes that certain: without
        // it the watcher may sync before the background compaction, and see it). 3.5.16+ keeps that
        // tombstone (#18274, backported in #18474) and always delivers it, as §2.4 requires.
        await Pair.Put("k", "1");                                  // 2
        await Pair.Delete(Delete("k"));                            // 3
        await Pair.Put("k", "2");                                  // 4
        await Pair.Compact(3, physical: true);
        await using var w = WatchDiff.Open(Pair);
        await w.Create(WatchOn("k", start: 3, prevKv: true));
        await w.Expect35(2, "3.4: created, then the put at 4 alone", 2, candidate =>
        {
            Assert.Equal(
                [(Mvccpb.Event.Types.EventType.Delete, 3L), (Mvccpb.Event.Types.EventType.Put, 4L)],
                candidate[1].Events.Select(e => (e.Type, e.Kv.ModRevision)));
            Assert.Null(candidate[1].Events[0].PrevKv);             // Revision 2 is compacted.
            Assert.Equal(4, candidate[1].Header.Revision);
        });
        await w.Fence();
    }
}

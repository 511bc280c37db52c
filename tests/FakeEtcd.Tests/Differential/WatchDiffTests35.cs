using static FakeEtcd.Tests.Differential.Req;
using static FakeEtcd.Tests.Differential.WatchDiffTests;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// Watch behaviours where the runnable reference (etcd 3.4.23) and the 3.5 semantics FakeEtcd
/// emulates differ. Each test runs the shared steps against both, then checks the candidate against
/// the 3.5 facts of reference/etcd-semantics.md §7 and §12, and says why etcd 3.4.23 differs.
/// </summary>
public sealed class WatchDiffTests35 : KvDifferentialTest
{
    [Fact]
    public async Task Progress_request_on_a_stream_without_watchers_gets_nothing()
    {
        // 3.4.23 answers every progress request at once over its control channel (before 3.4.25);
        // 3.5.13+ (RequestProgressAll, etcd#17507) answers only when the stream has watchers, all synced.
        await using var w = WatchDiff.Open(Pair);
        await w.RequestProgress();
        await w.Create(WatchOn("fence"));
        var etcd34 = await w.ReadReference(2);
        Assert.Equal(-1, etcd34[0].WatchId);
        var candidate = await w.ReadCandidate(1);
        Assert.True(candidate[0].Created, "the first response must be the fence's created: no progress reply");
        Assert.Equal(0, candidate[0].WatchId);
    }

    [Fact]
    public async Task Progress_request_with_a_future_start_watcher_gets_nothing()
    {
        // 3.5.22+ skips progress while a watcher's start revision is above the current revision (a
        // progress revision would announce revisions it has not seen); 3.4.23 answers at once.
        await Pair.Put("k", "1");                                  // 2
        await using var w = WatchDiff.Open(Pair);
        await w.Create(WatchOn("k", start: 10));
        await w.Expect(1, "created");
        await w.RequestProgress();
        await w.Create(WatchOn("fence"));
        Assert.Equal(-1, (await w.ReadReference(2))[0].WatchId);
        var candidate = await w.ReadCandidate(1);
        Assert.True(candidate[0].Created, "no progress reply before the fence's created");
        Assert.Equal(1, candidate[0].WatchId);
    }

    [Fact]
    public async Task Negative_start_revision_is_rejected_as_compacted()
    {
        // etcd ≥ 3.5.24 / 3.4.38 rejects it as created + canceled; 3.4.23 misbehaves (it treats the
        // watcher as unsynced below every revision), so only the candidate is checked.
        await Pair.Put("k", "1");
        await using var w = WatchDiff.Open(Pair);
        await w.Create(WatchOn("k", start: -3));
        await w.Create(WatchOn("fence"));
        var candidate = await w.ReadCandidate(2);
        Assert.Equal(
            (true, true, -1L, "etcdserver: mvcc: required revision has been compacted", 2L),
            (candidate[0].Created, candidate[0].Canceled, candidate[0].WatchId, candidate[0].CancelReason, candidate[0].Header.Revision));
        Assert.True(candidate[1].Created);
        Assert.Equal(0, candidate[1].WatchId);
    }

    [Fact]
    public async Task Delete_at_the_compaction_revision_is_delivered()
    {
        // etcd#18089: 3.4.23 drops a delete at exactly the compact revision from a watch that starts
        // there whenever its background compaction has removed the tombstone before the watcher
        // syncs (a race: sometimes it delivers it); fixed releases always deliver it, as §2.4 requires.
        await Pair.Put("k", "1");                                  // 2
        await Pair.Delete(Delete("k"));                            // 3
        await Pair.Put("k", "2");                                  // 4
        await Pair.Compact(3);
        await using var w = WatchDiff.Open(Pair);
        await w.Create(WatchOn("k", start: 3, prevKv: true));
        var etcd34 = await w.ReadReference(2);
        Assert.Equal(4, etcd34[1].Events[^1].Kv.ModRevision);      // The put at 4; the delete at 3 only sometimes.
        var candidate = await w.ReadCandidate(2);
        Assert.Equal(
            [(Mvccpb.Event.Types.EventType.Delete, 3L), (Mvccpb.Event.Types.EventType.Put, 4L)],
            candidate[1].Events.Select(e => (e.Type, e.Kv.ModRevision)));
        Assert.Null(candidate[1].Events[0].PrevKv);                 // Revision 2 is compacted.
        Assert.Equal(4, candidate[1].Header.Revision);
    }
}

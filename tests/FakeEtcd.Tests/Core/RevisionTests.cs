using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using FakeEtcd.Mvcc;
using static FakeEtcd.Tests.Support.Requests;

namespace FakeEtcd.Tests.Core;

/// <summary>Revision and KeyValue bookkeeping of the key space (etcd-semantics §2).</summary>
public class RevisionTests
{
    private readonly Applier _etcd = new(new EtcdLimits());

    [Fact]
    public void FreshStoreIsAtRevisionOneAndFirstWriteMakesTwo()
    {
        Assert.Equal(1, _etcd.CurrentRevision);
        Assert.Equal(1, _etcd.Range(Get("a")).Header.Revision);
        Assert.Equal(2, _etcd.Put(Put("a", "1")).Header.Revision);
        Assert.Equal(2, _etcd.CurrentRevision);
    }

    [Fact]
    public void PutsKeepCreateRevisionAndBumpVersionEvenForTheSameValue()
    {
        _etcd.Put(Put("a", "1"));
        _etcd.Put(Put("b", "x"));
        _etcd.Put(Put("a", "1"));

        Assert.Equal([Kv("a", "1", create: 2, mod: 4, version: 2)], _etcd.Range(Get("a")).Kvs);
    }

    [Fact]
    public void DeleteResetsVersionAndRecreateStartsANewGeneration()
    {
        _etcd.Put(Put("a", "1"));                        // 2
        _etcd.Put(Put("a", "2"));                        // 3
        var deleted = _etcd.DeleteRange(Delete("a"));     // 4
        _etcd.Put(Put("a", "3"));                        // 5

        Assert.Equal((1L, 4L), (deleted.Deleted, deleted.Header.Revision));
        Assert.Equal([Kv("a", "3", create: 5, mod: 5, version: 1)], _etcd.Range(Get("a")).Kvs);
    }

    [Fact]
    public void WritesThatChangeNothingKeepTheRevision()
    {
        _etcd.Put(Put("a", "1"));

        var missing = _etcd.DeleteRange(Delete("zzz"));
        var readOnly = _etcd.Txn(Txn([], [Op(Get("a"))]));
        var deletesNothing = _etcd.Txn(Txn([], [Op(Delete("nope"))]));

        Assert.Equal((0L, 2L), (missing.Deleted, missing.Header.Revision));
        Assert.Equal(2, readOnly.Header.Revision);
        Assert.Equal(2, deletesNothing.Header.Revision);
        Assert.Equal(2, _etcd.CurrentRevision);
    }

    [Fact]
    public void HistoricalReadsSeeEachGenerationButTheHeaderIsCurrent()
    {
        _etcd.Put(Put("a", "1"));      // 2
        _etcd.Put(Put("a", "2"));      // 3
        _etcd.DeleteRange(Delete("a")); // 4
        _etcd.Put(Put("a", "3"));      // 5

        Assert.Empty(_etcd.Range(Get("a", revision: 1)).Kvs);
        Assert.Equal([Kv("a", "1", 2, 2, 1)], _etcd.Range(Get("a", revision: 2)).Kvs);
        Assert.Equal([Kv("a", "2", 2, 3, 2)], _etcd.Range(Get("a", revision: 3)).Kvs);
        Assert.Empty(_etcd.Range(Get("a", revision: 4)).Kvs);
        var atFive = _etcd.Range(Get("a", revision: 5));
        Assert.Equal([Kv("a", "3", 5, 5, 1)], atFive.Kvs);
        Assert.Equal(5, _etcd.Range(Get("a", revision: 2)).Header.Revision);
    }

    [Fact]
    public void OneTxnIsOneRevisionAndEventsKeepOperationOrder()
    {
        var committed = new List<CommittedRevision>();
        _etcd.Committed += committed.Add;
        _etcd.Put(Put("c", "0"));

        var response = _etcd.Txn(Txn([], [Op(Put("b", "1")), Op(Put("a", "2")), Op(Delete("c"))]));

        Assert.Equal(3, response.Header.Revision);
        Assert.Equal([2L, 3L], committed.Select(c => c.Revision));
        Assert.Equal(
            ["PUT b 3", "PUT a 3", "DELETE c 3"],
            committed[1].Events.Select(e => $"{e.Type.ToString().ToUpperInvariant()} {S(e.Kv.Key)} {e.Kv.ModRevision}"));
        Assert.Equal(Kv("c", "0", 2, 2, 1), committed[1].Events[2].PrevKv);
        Assert.Equal(new EtcdProtocol.Mvccpb.KeyValue { Key = B("c"), ModRevision = 3 }, committed[1].Events[2].Kv);
    }

    [Fact]
    public void DeleteRangeDeletesInKeyOrderAtOneRevision()
    {
        foreach (var key in new[] { "k3", "k1", "k2", "l" })
        {
            _etcd.Put(Put(key, key));
        }

        var committed = new List<CommittedRevision>();
        _etcd.Committed += committed.Add;
        var response = _etcd.DeleteRange(Delete("k", "l", prevKv: true));

        Assert.Equal((3L, 6L), (response.Deleted, response.Header.Revision));
        Assert.Equal(["k1", "k2", "k3"], response.PrevKvs.Select(kv => S(kv.Key)));
        Assert.Equal(["k1", "k2", "k3"], committed.Single().Events.Select(e => S(e.Kv.Key)));
    }

    [Fact]
    public void ConcurrentWritersGetUniqueConsecutiveRevisions()
    {
        var revisions = new System.Collections.Concurrent.ConcurrentBag<long>();
        Parallel.For(0, 400, i => revisions.Add(_etcd.Put(Put($"k{i % 7}", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).Header.Revision));

        Assert.Equal(Enumerable.Range(2, 400).Select(i => (long)i), revisions.Order());
        Assert.Equal(401, _etcd.CurrentRevision);
    }

    [Fact]
    public void PutResponseCarriesThePreviousValueOnlyWhenAsked()
    {
        Assert.Null(_etcd.Put(Put("a", "1", prevKv: true)).PrevKv);
        Assert.Equal(Kv("a", "1", 2, 2, 1), _etcd.Put(Put("a", "2", prevKv: true)).PrevKv);
        Assert.Null(_etcd.Put(Put("a", "3")).PrevKv);
    }

    [Fact]
    public void IgnoreValueAndIgnoreLeaseReuseTheStoredOnes()
    {
        _etcd.Put(Put("a", "keep"));

        _etcd.Put(new PutRequest { Key = B("a"), IgnoreValue = true });

        Assert.Equal([Kv("a", "keep", 2, 3, 2)], _etcd.Range(Get("a")).Kvs);
    }
}

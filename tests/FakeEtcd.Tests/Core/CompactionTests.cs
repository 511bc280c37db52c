using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using Grpc.Core;
using static FakeEtcd.Tests.Support.EtcdAssert;
using static FakeEtcd.Tests.Support.Requests;

namespace FakeEtcd.Tests.Core;

/// <summary>Compaction rules and their effect on historical reads (etcd-semantics §2.4).</summary>
public class CompactionTests
{
    private const string Compacted = "etcdserver: mvcc: required revision has been compacted";
    private const string Future = "etcdserver: mvcc: required revision is a future revision";

    private readonly Applier _etcd = new(new EtcdLimits());

    [Fact]
    public void CompactZeroSucceedsOnceOnAFreshStore()
    {
        Assert.Equal(1, _etcd.Compact(new CompactionRequest { Revision = 0 }).Header.Revision);
        Fails(StatusCode.OutOfRange, Compacted, () => _etcd.Compact(new CompactionRequest { Revision = 0 }));
    }

    [Fact]
    public void CompactBoundsAndHistoricalReads()
    {
        _etcd.Put(Put("a", "1"));      // 2
        _etcd.Put(Put("a", "2"));      // 3
        _etcd.Put(Put("b", "1"));      // 4
        _etcd.DeleteRange(Delete("b")); // 5

        Fails(StatusCode.OutOfRange, Future, () => _etcd.Compact(new CompactionRequest { Revision = 6 }));
        Assert.Equal(5, _etcd.Compact(new CompactionRequest { Revision = 3 }).Header.Revision);
        Fails(StatusCode.OutOfRange, Compacted, () => _etcd.Compact(new CompactionRequest { Revision = 3 }));
        Fails(StatusCode.OutOfRange, Compacted, () => _etcd.Compact(new CompactionRequest { Revision = 2 }));

        Fails(StatusCode.OutOfRange, Compacted, () => _etcd.Range(Get("a", revision: 2)));
        Fails(StatusCode.OutOfRange, Future, () => _etcd.Range(Get("a", revision: 6)));
        Assert.Equal([Kv("a", "2", 2, 3, 2)], _etcd.Range(Get("a", revision: 3)).Kvs);
        Assert.Equal([Kv("b", "1", 4, 4, 1)], _etcd.Range(Get("b", revision: 4)).Kvs);
        Assert.Empty(_etcd.Range(Get("b", revision: 5)).Kvs);
        Fails(StatusCode.OutOfRange, Compacted, () => _etcd.Txn(Txn([], [Op(Get("a", revision: 2))])));

        // Compacting past a tombstone forgets the key entirely.
        Assert.Equal(5, _etcd.Compact(new CompactionRequest { Revision = 5 }).Header.Revision);
        Assert.Equal(1, _etcd.Range(Get("\0", "\0")).Count);
        Assert.Equal(5, _etcd.CurrentRevision);
    }

    [Fact]
    public void NegativeTxnRangeRevisionBelowTheCompactRevisionIsCompacted()
    {
        // etcd's txn check compares the raw revision with the compact revision (-1 on a fresh store).
        Fails(StatusCode.OutOfRange, Compacted, () => _etcd.Txn(Txn([], [Op(Get("a", revision: -2))])));
        Assert.Empty(_etcd.Range(Get("a", revision: -2)).Kvs);
    }
}

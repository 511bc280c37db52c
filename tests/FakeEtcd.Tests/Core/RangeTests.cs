using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using static EtcdProtocol.Etcdserverpb.RangeRequest.Types;
using static FakeEtcd.Tests.Support.Requests;

namespace FakeEtcd.Tests.Core;

/// <summary>Range: key forms, limit/more/count, sorting, filters and projections (etcd-semantics §3).</summary>
public class RangeTests
{
    private readonly Applier _etcd = new(new EtcdLimits());

    public RangeTests()
    {
        // revisions: a=2, b=3, c=4, d=5; then b is rewritten at 6 (version 2)
        foreach (var (key, value) in new[] { ("a", "4"), ("b", "3"), ("c", "2"), ("d", "1"), ("b", "5") })
        {
            _etcd.Put(Put(key, value));
        }
    }

    private List<string> Keys(RangeRequest request) => [.. _etcd.Range(request).Kvs.Select(kv => S(kv.Key))];

    [Fact]
    public void KeyFormsSelectSingleRangeFromKeyAndAll()
    {
        Assert.Equal(["b"], Keys(Get("b")));
        Assert.Equal(["b", "c"], Keys(Get("b", "d")));
        Assert.Equal(["b", "c", "d"], Keys(Get("b", "\0")));
        Assert.Equal(["a", "b", "c", "d"], Keys(Get("\0", "\0")));
        Assert.Empty(Keys(Get("c", "b")));
        Assert.Empty(Keys(Get("c", "c")));
        Assert.Equal(["a"], Keys(Prefix("a")));
    }

    [Fact]
    public void LimitSetsMoreAndCountIgnoresLimit()
    {
        var limited = _etcd.Range(new RangeRequest { Key = B("a"), RangeEnd = B("\0"), Limit = 2 });
        var exact = _etcd.Range(new RangeRequest { Key = B("a"), RangeEnd = B("\0"), Limit = 4 });

        Assert.Equal(("a,b", true, 4L), (string.Join(",", limited.Kvs.Select(kv => S(kv.Key))), limited.More, limited.Count));
        Assert.Equal((4, false, 4L), (exact.Kvs.Count, exact.More, exact.Count));
    }

    [Fact]
    public void SortsByEveryTargetBothWays()
    {
        RangeRequest Sorted(SortTarget target, SortOrder order) =>
            new() { Key = B("a"), RangeEnd = B("\0"), SortTarget = target, SortOrder = order };

        Assert.Equal(["d", "c", "b", "a"], Keys(Sorted(SortTarget.Key, SortOrder.Descend)));
        Assert.Equal(["d", "c", "a", "b"], Keys(Sorted(SortTarget.Value, SortOrder.Ascend)));
        Assert.Equal(["a", "c", "d", "b"], Keys(Sorted(SortTarget.Mod, SortOrder.Ascend)));
        Assert.Equal(["d", "c", "b", "a"], Keys(Sorted(SortTarget.Create, SortOrder.Descend)));
        Assert.Equal(["b", "a", "c", "d"], Keys(Sorted(SortTarget.Version, SortOrder.Descend)));

        // A target other than KEY with order NONE sorts ascending.
        Assert.Equal(["a", "c", "d", "b"], Keys(Sorted(SortTarget.Mod, SortOrder.None)));
    }

    [Fact]
    public void DescendingSortWithLimitSortsTheWholeRangeFirst()
    {
        var last = _etcd.Range(new RangeRequest
        {
            Key = B("a"),
            RangeEnd = B("\0"),
            SortTarget = SortTarget.Create,
            SortOrder = SortOrder.Descend,
            Limit = 1,
        });

        Assert.Equal(("d", true, 4L), (string.Join(",", last.Kvs.Select(kv => S(kv.Key))), last.More, last.Count));
    }

    [Fact]
    public void NonKeyTargetWithOrderNoneSortsOnlyTheKeysReadUpToLimitPlusOne()
    {
        // etcd decides whether to read everything from the requested order (NONE), so it reads
        // limit + 1 keys in key order (a=4, b=5) and sorts those: the result is "a", not the
        // global minimum "d" (value 1).
        var response = _etcd.Range(new RangeRequest
        {
            Key = B("a"),
            RangeEnd = B("\0"),
            SortTarget = SortTarget.Value,
            Limit = 1,
        });

        Assert.Equal(("a", true, 4L), (string.Join(",", response.Kvs.Select(kv => S(kv.Key))), response.More, response.Count));
    }

    [Fact]
    public void RevisionFiltersPruneKvsButNotCount()
    {
        var response = _etcd.Range(new RangeRequest { Key = B("a"), RangeEnd = B("\0"), MinModRevision = 4, MaxModRevision = 5 });
        var created = _etcd.Range(new RangeRequest { Key = B("a"), RangeEnd = B("\0"), MinCreateRevision = 3, MaxCreateRevision = 3 });

        Assert.Equal(("c,d", 4L, false), (string.Join(",", response.Kvs.Select(kv => S(kv.Key))), response.Count, response.More));
        Assert.Equal(["b"], created.Kvs.Select(kv => S(kv.Key)));
    }

    [Fact]
    public void KeysOnlyDropsValuesAndCountOnlyDropsKvs()
    {
        var keysOnly = _etcd.Range(new RangeRequest { Key = B("b"), KeysOnly = true });
        var countOnly = _etcd.Range(new RangeRequest { Key = B("a"), RangeEnd = B("\0"), CountOnly = true, Limit = 1 });

        Assert.Equal([Kv("b", string.Empty, 3, 6, 2)], keysOnly.Kvs);
        Assert.Equal((0, 4L, false), (countOnly.Kvs.Count, countOnly.Count, countOnly.More));

        // The stored value is untouched by a keys_only read.
        Assert.Equal("5", S(_etcd.Range(Get("b")).Kvs[0].Value));
    }

    [Fact]
    public void MissingKeyIsAnEmptyResultNotAnError()
    {
        var response = _etcd.Range(Get("zzz"));

        Assert.Equal((0, 0L, false, 6L), (response.Kvs.Count, response.Count, response.More, response.Header.Revision));
    }
}

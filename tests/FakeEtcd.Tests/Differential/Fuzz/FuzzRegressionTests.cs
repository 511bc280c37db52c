using static FakeEtcd.Tests.Differential.Req;

namespace FakeEtcd.Tests.Differential.Fuzz;

/// <summary>Divergences the fuzzer found, pinned as plain differential tests after the fix.</summary>
public sealed class FuzzRegressionTests : KvDifferentialTest
{
    /// <summary>
    /// Fuzz seed 4: a watch event's prev_kv is the key before the txn (etcd reads it at mod_revision - 1),
    /// not the value an earlier nested txn of the same txn put. FakeEtcd sent the in-txn value.
    /// </summary>
    [Fact]
    public async Task Watch_prev_kv_is_the_value_before_the_txn_even_after_a_nested_put()
    {
        await Pair.Put("k", "1");                                                   // 2
        await using var w = WatchDiff.Open(Pair);
        await w.Create(WatchDiffTests.WatchOn("k", prevKv: true));
        await w.Expect(1, "created");
        await Pair.Txn(Txn(success:
        [
            Op(Txn(success: [Op(Put("k", "2"))])),
            Op(Txn(success: [Op(Delete("k", prevKv: true))])),
        ]));                                                                        // 3: put then delete of k
        await w.Expect(1, "one response: put k=2 and delete k, both with prev_kv k=1 from revision 2");
        await w.Fence();
    }
}

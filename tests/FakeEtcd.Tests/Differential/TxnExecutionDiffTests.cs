using static FakeEtcd.Tests.Differential.Req;
using Result = Etcdserverpb.Compare.Types.CompareResult;

namespace FakeEtcd.Tests.Differential;

/// <summary>What a Txn does: revisions, op order, nested txns and their headers.</summary>
public sealed class TxnExecutionDiffTests : KvDifferentialTest
{
    [Fact]
    public async Task Read_only_txn_does_not_bump_revision()
    {
        await Pair.Put("a", "1");
        await Pair.Txn(Txn(success: [Op(Range("a")), Op(All())]));
        await Pair.Txn(Txn(success: [Op(Delete("missing"))]));   // Deletes nothing: no bump either.
        await Pair.Txn(Txn([Version("a", Result.Equal, 9)], failure: [Op(Range("a"))]));
        await Pair.Range(All());
    }

    [Fact]
    public async Task Writes_share_one_revision_and_later_ops_see_earlier_ones()
    {
        await Pair.Put("x", "0");
        await Pair.Txn(Txn(success:
        [
            Op(Range("a")),
            Op(Put("a", "1", prevKv: true)),
            Op(Range("a")),
            Op(Put("b", "1")),
            Op(Delete("x", prevKv: true)),
            Op(All()),
            Op(Delete("a", "c", prevKv: true)),
            Op(All()),
        ]));
        await Pair.Range(All());
        await Pair.Txn(Txn(success: [Op(Put("c", "1")), Op(Delete("missing"))]));  // Later no-op delete.
    }

    [Fact]
    public async Task Nested_txn_compares_see_the_pre_txn_state()
    {
        await Pair.Put("a", "1");
        var nested = Txn(
            [Value("a", Result.Equal, "1")],                 // Still "1": evaluated before the outer put.
            [Op(Range("a")), Op(Put("b", "nested-success"))],
            [Op(Put("b", "nested-failure"))]);
        await Pair.Txn(Txn(success: [Op(Put("a", "2")), Op(nested), Op(All())]));
        await Pair.Range(All());
    }

    [Fact]
    public async Task Nested_txns_in_both_branches_and_levels()
    {
        await Pair.Put("a", "1");
        var inner = Txn([Version("a", Result.Equal, 1)], [Op(Put("deep", "1"))], [Op(Range("a"))]);
        var middle = Txn([Version("missing", Result.Equal, 0)], [Op(inner), Op(Range("deep"))], [Op(Delete("a"))]);
        await Pair.Txn(Txn([Version("a", Result.Greater, 5)], [Op(Put("never", "1"))], [Op(middle)]));
        await Pair.Txn(Txn(success: [Op(Txn(success: [Op(Range("a"))]))]));   // Read-only nested.
        await Pair.Txn(Txn(success: [Op(Txn())]));                             // Empty nested txn.
        await Pair.Range(All());
    }
}

using Etcdserverpb;
using static FakeEtcd.Tests.Differential.Req;
using Result = Etcdserverpb.Compare.Types.CompareResult;

namespace FakeEtcd.Tests.Differential;

/// <summary>Txn checks that run before anything executes: duplicates, op limits, empty ops.</summary>
public sealed class TxnValidationDiffTests : KvDifferentialTest
{
    private static RequestOp[] Puts(int count, string prefix = "k")
        => [.. Enumerable.Range(0, count).Select(i => Op(Put($"{prefix}{i:D3}", "v")))];

    [Fact]
    public async Task Duplicate_keys()
    {
        await Pair.Put("a", "0");
        var always = Version("a", Result.Equal, 1);
        TxnRequest[] txns =
        [
            Txn(success: [Op(Put("a", "1")), Op(Put("a", "2"))]),
            Txn(failure: [Op(Put("a", "1")), Op(Put("a", "2"))]),           // Unexecuted branch still checked.
            Txn([always], failure: [Op(Put("a", "1")), Op(Put("a", "2"))]),
            Txn(success: [Op(Delete("a", "c")), Op(Put("b", "1"))]),         // Put inside a deleted range.
            Txn(success: [Op(Put("b", "1")), Op(Delete("a", "c"))]),         // Order does not matter.
            Txn(success: [Op(Delete("b")), Op(Put("b", "1"))]),
            Txn(success: [Op(Put("a", "1")), Op(Txn(success: [Op(Put("a", "2"))]))]),    // Outer and nested.
            Txn(success: [Op(Delete("a", "c")), Op(Txn(failure: [Op(Put("b", "2"))]))]), // Nested put in outer delete.
            Txn(success: [Op(Txn(success: [Op(Delete("a", "c"))])), Op(Put("b", "2"))]), // Outer put in nested delete.
            Txn(success: [Op(Txn(success: [Op(Put("a", "1"))])), Op(Txn(success: [Op(Put("a", "2"))]))]),
            Txn(success: [Op(Txn(success: [Op(Put("a", "1"))], failure: [Op(Put("a", "2"))]))]), // Allowed.
            Txn(success: [Op(Put("a", "1")), Op(Range("a"))]),                // Put + range: allowed.
            Txn(success: [Op(Delete("a", "c")), Op(Delete("b", "d"))]),        // Overlapping deletes: allowed.
            Txn(success: [Op(Delete("a", AllFrom)), Op(Put("b", "1"))]),       // "\0" range_end: see etcd.
            Txn(success: [Op(Put("z", "1")), Op(Delete(AllFrom, AllFrom))]),
            Txn(success: [Op(Put("s", "1"))], failure: [Op(Put("s", "2"))]),  // Different branches: allowed.
        ];
        foreach (var txn in txns)
        {
            await Pair.Txn(txn);
        }

        await Pair.Range(All());
    }

    [Fact]
    public async Task Too_many_operations()
    {
        await Pair.Txn(Txn(success: Puts(128)));
        await Pair.Txn(Txn(success: Puts(129)));
        await Pair.Txn(Txn(failure: Puts(129)));
        await Pair.Txn(Txn(success: Puts(128), failure: Puts(128, "f")));   // Limit is per list.
        var compares = Enumerable.Range(0, 129).Select(i => Version($"c{i}", Result.Equal, 0));
        await Pair.Txn(Txn(compares, [Op(Range("k000"))]));
        await Pair.Txn(Txn(compares.Take(128), [Op(Range("k000"))]));
        // A nested txn may use only what the parent left: 128 - 100 = 28.
        await Pair.Txn(Txn(success: [.. Puts(99, "p"), Op(Txn(success: Puts(28, "n")))]));
        await Pair.Txn(Txn(success: [.. Puts(99, "q"), Op(Txn(success: Puts(29, "m")))]));
        // Too many ops is reported before an empty compare key.
        await Pair.Txn(Txn([Version("", Result.Equal, 0)], Puts(129)));
        await Pair.Range(new RangeRequest { Key = B(AllFrom), RangeEnd = B(AllFrom), CountOnly = true });
    }

    [Fact]
    public async Task Empty_request_op_is_key_not_found()
    {
        await Pair.Txn(Txn(success: [new RequestOp()]));
        await Pair.Txn(Txn(failure: [Op(Put("a", "1")), new RequestOp()]));
        await Pair.Txn(Txn(success: [Op(Txn(failure: [new RequestOp()]))]));
        await Pair.Txn(Txn(failure: [Op(Txn([Version("", Result.Equal, 0)]))]));  // Nested compare key: empty.
        await Pair.Txn(Txn(success: [Op(Txn(success: [Op(Delete(""))]))]));
        await Pair.Range(All());
    }

    [Fact]
    public async Task Range_revision_inside_txn()
    {
        await Pair.Put("a", "1");
        await Pair.Txn(Txn(success: [Op(Range("a", revision: 3))]));   // Future.
        await Pair.Txn(Txn(success: [Op(Range("a", revision: 2))]));
        await Pair.Txn(Txn(success: [Op(Put("b", "1")), Op(Range("a", revision: 3))]));  // Still future: checked pre-txn.
        await Pair.Range(All());
    }
}

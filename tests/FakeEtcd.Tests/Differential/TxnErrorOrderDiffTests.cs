using static FakeEtcd.Tests.Differential.Req;
using Result = Etcdserverpb.Compare.Types.CompareResult;

namespace FakeEtcd.Tests.Differential;

/// <summary>Which error a Txn reports when several ops of the executed branch are invalid.</summary>
public sealed class TxnErrorOrderDiffTests : KvDifferentialTest
{
    [Fact]
    public async Task Execution_checks_and_their_order()
    {
        await Pair.Put("a", "1");
        await Pair.Compact(2);
        await Pair.Put("a", "2");
        var range = Range("a", revision: 9);     // Future.
        var compacted = Range("a", revision: 1);
        var unknownLease = Put("b", "1", lease: 777);
        var ignoreMissing = new Etcdserverpb.PutRequest { Key = B("missing"), IgnoreValue = true };
        Etcdserverpb.RequestOp[][] branches =
        [
            [Op(range), Op(unknownLease)],
            [Op(unknownLease), Op(range)],
            [Op(compacted), Op(ignoreMissing)],
            [Op(ignoreMissing), Op(unknownLease)],
            [Op(unknownLease), Op(ignoreMissing)],
            [Op(range), Op(compacted)],
            [Op(compacted), Op(range)],
            [Op(Put("c", "1")), Op(Txn(success: [Op(range)]))],
            [Op(Txn([Version("a", Result.Equal, 0)], [Op(unknownLease)], [Op(Range("a"))]))],   // Nested branch not taken.
            [Op(Txn([Version("a", Result.Equal, 0)], [Op(Range("a"))], [Op(unknownLease)]))],
        ];
        foreach (var ops in branches)
        {
            await Pair.Txn(Txn(success: ops));
        }

        await Pair.Range(All());
    }
}

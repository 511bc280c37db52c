using Grpc.Core;
using static FakeEtcd.Tests.Differential.Req;

namespace FakeEtcd.Tests.Differential;

/// <summary>Compaction bounds and reads around the compacted revision.</summary>
public sealed class CompactDiffTests : KvDifferentialTest
{
    [Fact]
    public async Task Compact_zero_succeeds_once_on_a_fresh_store()
    {
        // compactRev starts at -1, so 0 is "above" it once.
        var first = await Pair.Compact(0);
        Assert.Null(first.Reference.Error);
        await Pair.Compact(0);
        await Pair.Compact(1);
        await Pair.Compact(1);
    }

    [Fact]
    public async Task Compact_twice_future_and_negative()
    {
        for (var i = 0; i < 4; i++)
        {
            await Pair.Put("k", i.ToString(System.Globalization.CultureInfo.InvariantCulture)); // revisions 2..5
        }

        await Pair.Compact(6);                // Future.
        await Pair.Compact(3);
        var again = await Pair.Compact(3);    // Same revision twice: compacted.
        Assert.Equal(StatusCode.OutOfRange, again.Reference.Error?.StatusCode);
        await Pair.Compact(2);                // Below: compacted.
        await Pair.Compact(-1);
        await Pair.Compact(5, physical: true);
        await Pair.Range(All());
    }

    [Fact]
    public async Task Reads_below_the_compacted_revision_fail_and_at_it_succeed()
    {
        await Pair.Put("a", "1");             // 2
        await Pair.Put("b", "1");             // 3
        await Pair.Delete(Delete("a"));       // 4
        await Pair.Put("a", "2");             // 5
        await Pair.Compact(4);

        for (var rev = 1; rev <= 6; rev++)
        {
            await Pair.Range(All(rev));       // 1..3 compacted, 4 and 5 readable, 6 future.
        }

        await Pair.Range(All());
        await Pair.Txn(Txn(success: [Op(All(3))]));
        await Pair.Txn(Txn(success: [Op(All(4))]));
        await Pair.Txn(Txn(success: [Op(Put("c", "1")), Op(All(3))]));
        await Pair.Range(All());
    }
}

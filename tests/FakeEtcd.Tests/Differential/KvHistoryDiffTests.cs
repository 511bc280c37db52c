using Grpc.Core;
using static FakeEtcd.Tests.Differential.Req;

namespace FakeEtcd.Tests.Differential;

/// <summary>Reads at past, current, future and non-positive revisions.</summary>
public sealed class KvHistoryDiffTests : KvDifferentialTest
{
    [Fact]
    public async Task Historical_reads_see_deleted_and_recreated_keys()
    {
        await Pair.Put("a", "1");             // 2
        await Pair.Put("a", "2");             // 3
        await Pair.Delete(Delete("a"));       // 4
        await Pair.Put("a", "3");             // 5: new generation
        await Pair.Put("b", "1");             // 6
        await Pair.Delete(Delete("a", "c"));  // 7: a and b at one revision

        for (var rev = 1; rev <= 7; rev++)
        {
            // header.revision stays the current revision, not rev.
            await Pair.Range(Range("a", revision: rev));
            await Pair.Range(All(rev));
        }

        await Pair.Range(All(0));             // 0: current.
        await Pair.Range(All(-1));            // Negative: current too.
    }

    [Fact]
    public async Task Future_revision_is_out_of_range()
    {
        await Pair.Put("a", "1");
        var future = await Pair.Range(All(3));
        Assert.Equal(StatusCode.OutOfRange, future.Reference.Error?.StatusCode);
        await Pair.Range(All(1000));
        await Pair.Range(All(2));
    }
}

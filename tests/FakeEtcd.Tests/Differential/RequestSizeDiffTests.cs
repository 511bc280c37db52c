using Etcdserverpb;
using Grpc.Core;
using static FakeEtcd.Tests.Differential.Req;

namespace FakeEtcd.Tests.Differential;

/// <summary>--max-request-bytes (1.5 MiB) applies to raft entries: writes, not reads.</summary>
public sealed class RequestSizeDiffTests : KvDifferentialTest
{
    private const int MaxRequestBytes = 1536 * 1024;

    [Fact]
    public async Task Put_and_txn_either_side_of_the_limit()
    {
        var value = new string('x', MaxRequestBytes - 10);
        await Pair.Put("big", value);
        await Pair.Txn(Txn(success: [Op(Put("big", value))]));
        await Pair.Txn(Txn(success: [Op(Put("big", new string('x', MaxRequestBytes - 40)))]));
        await Pair.Range(new RangeRequest { Key = B("big"), KeysOnly = true });
    }

    [Fact]
    public async Task Reads_are_not_limited_by_max_request_bytes()
    {
        var bigKey = new string('k', MaxRequestBytes + 1024);
        var range = await Pair.Range(Range(bigKey));
        Assert.Null(range.Reference.Error);
        await Pair.Txn(Txn([Value(bigKey, Compare.Types.CompareResult.Equal, "x")], [Op(Range("a"))]));  // Read-only txn.
        await Pair.Txn(Txn(success: [Op(Range(bigKey)), Op(Delete("nothing"))]));                          // Has a write op: raft.
        await Pair.Delete(Delete(bigKey));
    }

    [Fact]
    public async Task Message_above_the_grpc_receive_limit()
    {
        // 2.5 MiB is above the server's gRPC receive limit (max-request-bytes + 512 KiB):
        // rejected by the transport before etcd sees it.
        var put = await Pair.Put("huge", new string('x', 2560 * 1024));
        Assert.Equal(StatusCode.ResourceExhausted, put.Reference.Error?.StatusCode);
    }
}

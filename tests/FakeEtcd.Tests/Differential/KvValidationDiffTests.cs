using Etcdserverpb;
using Grpc.Core;
using static FakeEtcd.Tests.Differential.Req;

namespace FakeEtcd.Tests.Differential;

/// <summary>Request validation errors: code and byte-identical message.</summary>
public sealed class KvValidationDiffTests : KvDifferentialTest
{
    [Fact]
    public async Task Empty_key_is_rejected_everywhere()
    {
        var range = await Pair.Range(Range(""));
        Assert.Equal(StatusCode.InvalidArgument, range.Reference.Error?.StatusCode);
        await Pair.Range(Range("", AllFrom));
        await Pair.Put("", "v");
        await Pair.Delete(Delete(""));
        await Pair.Delete(Delete("", AllFrom));
        await Pair.Txn(Txn(compare: [Version("", Compare.Types.CompareResult.Equal, 0)]));
        await Pair.Txn(Txn(success: [Op(Put("", "v"))]));
        await Pair.Txn(Txn(failure: [Op(Range(""))]));
        await Pair.Txn(Txn(success: [Op(Delete(""))]));
        await Pair.Range(All());
    }

    [Fact]
    public async Task Ignore_value_and_ignore_lease()
    {
        await Pair.Put(new PutRequest { Key = B("missing"), IgnoreValue = true });   // key not found
        await Pair.Put(new PutRequest { Key = B("missing"), IgnoreLease = true });   // key not found
        await Pair.Put(new PutRequest { Key = B("k"), Value = B("v"), IgnoreValue = true }); // value is provided
        await Pair.Put(new PutRequest { Key = B("k"), Lease = 5, IgnoreLease = true });      // lease is provided
        await Pair.Put(new PutRequest { Key = B("k"), Value = B("v"), Lease = 5, IgnoreValue = true, IgnoreLease = true });
        await Pair.Put("k", "v0");
        await Pair.Put(new PutRequest { Key = B("k"), IgnoreValue = true, PrevKv = true });  // Keeps v0.
        await Pair.Put(new PutRequest { Key = B("k"), Value = B("v1"), IgnoreLease = true, PrevKv = true });
        await Pair.Txn(Txn(success: [Op(new PutRequest { Key = B("absent"), IgnoreValue = true })]));
        await Pair.Txn(Txn(success: [Op(new PutRequest { Key = B("k"), IgnoreValue = true })]));
        await Pair.Range(All());
    }

    [Fact]
    public async Task Ignore_value_and_ignore_lease_on_a_leased_key()
    {
        await Pair.Grant(0x51);
        await Pair.Put(Put("k", "v1", lease: 0x51));
        await Pair.Put(new PutRequest { Key = B("k"), IgnoreValue = true, PrevKv = true }); // keeps v1, drops the lease
        await Pair.Put(Put("k", "v2", lease: 0x51));
        await Pair.Put(new PutRequest { Key = B("k"), Value = B("v3"), IgnoreLease = true, PrevKv = true }); // keeps lease
        await Pair.Put(new PutRequest { Key = B("k"), IgnoreValue = true, IgnoreLease = true });
        await Pair.Range(Range("k"));
    }

    [Fact]
    public async Task Put_with_unknown_lease_is_not_found()
    {
        var put = await Pair.Put(Put("k", "v", lease: 12345));
        Assert.Equal(StatusCode.NotFound, put.Reference.Error?.StatusCode);
        await Pair.Txn(Txn(success: [Op(Put("k", "v", lease: 12345))]));
        await Pair.Txn(Txn(failure: [Op(Put("k", "v", lease: 12345))]));  // Branch not run: not checked.
        await Pair.Range(All());
    }

    [Fact]
    public async Task Request_too_large()
    {
        // 1.6 MiB: above --max-request-bytes (1.5 MiB) but below the 2 MiB gRPC receive limit.
        var value = new string('x', (int)(1.6 * 1024 * 1024));
        var put = await Pair.Put("big", value);
        Assert.Equal(StatusCode.InvalidArgument, put.Reference.Error?.StatusCode);
        await Pair.Txn(Txn(success: [Op(Put("big", value))]));
        await Pair.Put("small", new string('y', 1024 * 1024));  // 1 MiB fits.
        await Pair.Range(Range("small"));
    }
}

using Etcdserverpb;
using FakeEtcd.Tests.Differential;
using Google.Protobuf;
using Grpc.Core;
using static FakeEtcd.Tests.Differential.Req;

namespace FakeEtcd.Tests.Hostile;

/// <summary>
/// KV requests a hostile or buggy client might send: negative numbers, unknown enum values, huge spans,
/// keys and values around the request limit, txns at and over the op limit and nested deep. Each gets
/// etcd's exact answer, and a rejected one leaves every observable piece of state as it was.
/// </summary>
public sealed class HostileKvDiffTests : HostileDiffTest
{
    private const int MaxRequestBytes = 1536 * 1024;

    [Fact]
    public async Task Negative_revisions_limits_and_compactions()
    {
        await SeedAsync();
        await Rejected(c => c.Kv.RangeAsync(new RangeRequest { Key = B("a"), Revision = -5 }).ResponseAsync, "Range revision -5 reads the current revision");
        await Rejected(c => c.Kv.RangeAsync(new RangeRequest { Key = B("\0"), RangeEnd = B("\0"), Limit = -3 }).ResponseAsync, "Range limit -3 is unlimited");
        await Rejected(c => c.Kv.RangeAsync(new RangeRequest { Key = B("a"), Revision = 2 }).ResponseAsync, "Range below the compaction");
        await Rejected(c => c.Kv.RangeAsync(new RangeRequest { Key = B("a"), Revision = long.MaxValue }).ResponseAsync, "Range at the largest revision");
        await Rejected(c => c.Kv.RangeAsync(new RangeRequest { Key = B("a"), Revision = long.MinValue, Limit = long.MinValue }).ResponseAsync, "Range at the smallest revision and limit");
        await Rejected(c => c.Kv.RangeAsync(new RangeRequest { Key = B("a"), MinModRevision = -1, MaxModRevision = -1, MinCreateRevision = -7, MaxCreateRevision = long.MinValue }).ResponseAsync, "negative filters");
        await Rejected(c => c.Kv.CompactAsync(new CompactionRequest { Revision = -1 }).ResponseAsync, "Compact -1");
        await Rejected(c => c.Kv.CompactAsync(new CompactionRequest { Revision = long.MinValue }).ResponseAsync, "Compact min");
        await Rejected(c => c.Kv.CompactAsync(new CompactionRequest { Revision = 2 }).ResponseAsync, "Compact below the compaction");
        await Rejected(c => c.Kv.CompactAsync(new CompactionRequest { Revision = long.MaxValue }).ResponseAsync, "Compact in the far future");
        await Rejected(c => c.Kv.TxnAsync(Txn(success: [Op(new RangeRequest { Key = B("a"), Revision = -9, Limit = -9 })])).ResponseAsync, "txn range with negatives");
        await Rejected(c => c.Kv.TxnAsync(Txn(success: [Op(Put("b", "x")), Op(new RangeRequest { Key = B("a"), Revision = 2 })])).ResponseAsync, "txn range below the compaction rolls back its put");
    }

    [Fact]
    public async Task Negative_and_unknown_lease_ids_and_ttls()
    {
        await SeedAsync();
        await Rejected(c => c.Kv.PutAsync(Put("b", "x", lease: -1)).ResponseAsync, "Put lease -1");
        await Rejected(c => c.Kv.PutAsync(Put("b", "x", lease: long.MinValue)).ResponseAsync, "Put lease min");
        await Rejected(c => c.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = -1 }).ResponseAsync, "Revoke -1");
        await Rejected(c => c.Lease.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = -1, Keys = true }).ResponseAsync, "TimeToLive -1");
        await Rejected(c => c.Lease.LeaseGrantAsync(new LeaseGrantRequest { ID = 0x77, TTL = 60 }).ResponseAsync, "Grant an ID in use");
        await Rejected(c => c.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = long.MaxValue }).ResponseAsync, "Grant TTL max");
        await Rejected(c => c.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 9_000_000_001 }).ResponseAsync, "Grant TTL just over etcd's max");
        // A negative TTL is raised to the minimum (2 s), not rejected: a state change, compared, then revoked.
        await Pair.Both(c => c.Lease.LeaseGrantAsync(new LeaseGrantRequest { ID = 0x78, TTL = -5 }).ResponseAsync, "Grant TTL -5");
        await Pair.Both(c => c.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = 0x78 }).ResponseAsync, "Revoke it");
    }

    [Fact]
    public async Task Unknown_enum_values_and_invalid_field_combinations()
    {
        await SeedAsync();
        await Rejected(c => c.Kv.RangeAsync(new RangeRequest { Key = B("a"), SortOrder = (RangeRequest.Types.SortOrder)7 }).ResponseAsync, "unknown sort order");
        await Rejected(c => c.Kv.RangeAsync(new RangeRequest { Key = B("a"), SortOrder = (RangeRequest.Types.SortOrder)7, SortTarget = (RangeRequest.Types.SortTarget)9 }).ResponseAsync, "unknown order and target: no sort runs");
        await Rejected(c => c.Kv.TxnAsync(Txn([new Compare { Key = B("a"), Target = (Compare.Types.CompareTarget)9, Version = 1 }], [Op(Range("a"))])).ResponseAsync, "unknown compare target");
        await Rejected(c => c.Kv.TxnAsync(Txn([new Compare { Key = B("a"), Result = (Compare.Types.CompareResult)9, Version = 1 }], [Op(Range("a"))])).ResponseAsync, "unknown compare result");
        await Rejected(c => c.Kv.PutAsync(new PutRequest { Key = B("a"), Value = B("x"), IgnoreValue = true }).ResponseAsync, "ignore_value with a value");
        await Rejected(c => c.Kv.PutAsync(new PutRequest { Key = B("a"), Lease = 0x77, IgnoreLease = true }).ResponseAsync, "ignore_lease with a lease");
        await Rejected(c => c.Kv.PutAsync(new PutRequest { Key = B("nope"), IgnoreValue = true, IgnoreLease = true }).ResponseAsync, "both ignores on a missing key");
        await Rejected(c => c.Kv.PutAsync(new PutRequest { Key = B("k/1"), IgnoreValue = true }).ResponseAsync, "ignore_value on a deleted key");
        await Rejected(c => c.Kv.TxnAsync(Txn(success: [Op(Put("b", "1")), new RequestOp()])).ResponseAsync, "empty RequestOp after a put");
        await Rejected(c => c.Kv.TxnAsync(Txn([new Compare()], [Op(Put("b", "1"))])).ResponseAsync, "empty compare");
        await Rejected(c => c.Kv.DeleteRangeAsync(new DeleteRangeRequest { RangeEnd = B("z") }).ResponseAsync, "delete with only a range end");
        await Rejected(c => c.Kv.RangeAsync(new RangeRequest { Key = B("a"), CountOnly = true, KeysOnly = true, Limit = 1, SortOrder = RangeRequest.Types.SortOrder.Descend }).ResponseAsync, "count_only with keys_only, limit and sort");
    }

    /// <summary>
    /// etcd 3.4.23 and 3.5 sort with a nil sorter here and the member panics (seen: the connection drops),
    /// so this is not sent to etcd. FakeEtcd answers as etcd 3.6 does, and the state is untouched.
    /// </summary>
    [Fact]
    public async Task Unknown_sort_target_is_an_invalid_sort_option_where_etcd_3_5_panics()
    {
        Assert.SkipUnless(DiffTargets.CandidateIsFakeEtcd, "FAKEETCD_DIFF_CANDIDATE=etcd: this request makes a real etcd member panic, so it is sent only to FakeEtcd");
        await SeedAsync();
        var before = await StateHash.CaptureAsync(Pair.Candidate);
        foreach (var request in new[]
        {
            Txn(success: [Op(new RangeRequest { Key = B("a"), SortTarget = (RangeRequest.Types.SortTarget)9 })]),
            Txn(success: [Op(Put("b", "1")), Op(new RangeRequest { Key = B("a"), SortOrder = RangeRequest.Types.SortOrder.Descend, SortTarget = (RangeRequest.Types.SortTarget)5 })]),
        })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => Pair.Candidate.Kv.TxnAsync(request, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
            Assert.Equal((StatusCode.InvalidArgument, "etcdserver: invalid sort option"), (error.StatusCode, error.Status.Detail));
        }

        var range = await Assert.ThrowsAsync<RpcException>(() => Pair.Candidate.Kv.RangeAsync(new RangeRequest { Key = B("a"), SortTarget = (RangeRequest.Types.SortTarget)9 }, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "etcdserver: invalid sort option"), (range.StatusCode, range.Status.Detail));
        Assert.Equal(before, await StateHash.CaptureAsync(Pair.Candidate));
    }

    /// <summary>
    /// Found by the fuzzer (seeds 7, 14): etcd checks ignore_value / ignore_lease against the store before
    /// the txn, then panics when an earlier delete of the same txn removed the key (the member dies). Not sent
    /// to etcd; FakeEtcd answers "key not found" from the txn's own view and writes nothing.
    /// </summary>
    [Fact]
    public async Task Ignore_value_after_a_delete_in_the_same_txn_where_etcd_panics()
    {
        Assert.SkipUnless(DiffTargets.CandidateIsFakeEtcd, "FAKEETCD_DIFF_CANDIDATE=etcd: this request makes a real etcd member panic, so it is sent only to FakeEtcd");
        await SeedAsync();
        var before = await StateHash.CaptureAsync(Pair.Candidate);
        foreach (var request in new[]
        {
            Txn(success: [Op(Delete("a", "\0")), Op(new PutRequest { Key = B("a"), IgnoreValue = true })]),   // "\0" ends escape the duplicate check
            Txn(success: [Op(Delete("\0", "\0")), Op(new PutRequest { Key = B("leased"), IgnoreLease = true, Value = B("x") })]),
        })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => Pair.Candidate.Kv.TxnAsync(request, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
            Assert.Equal((StatusCode.InvalidArgument, "etcdserver: key not found"), (error.StatusCode, error.Status.Detail));
        }

        Assert.Equal(before, await StateHash.CaptureAsync(Pair.Candidate));
    }

    [Fact]
    public async Task Huge_range_end_spans()
    {
        await SeedAsync();
        var top = Bytes(4096, 0xff);
        await Rejected(c => c.Kv.RangeAsync(new RangeRequest { Key = B("\0"), RangeEnd = top }).ResponseAsync, "Range to a 4 KiB 0xff end");
        await Rejected(c => c.Kv.RangeAsync(new RangeRequest { Key = top, RangeEnd = B("\0") }).ResponseAsync, "Range from a 4 KiB 0xff key to the end");
        await Rejected(c => c.Kv.RangeAsync(new RangeRequest { Key = B("z"), RangeEnd = B("a") }).ResponseAsync, "Range with end below key");
        await Rejected(c => c.Kv.DeleteRangeAsync(new DeleteRangeRequest { Key = B("zz"), RangeEnd = top, PrevKv = true }).ResponseAsync, "Delete an empty huge span");
        await Rejected(c => c.Kv.DeleteRangeAsync(new DeleteRangeRequest { Key = B("z"), RangeEnd = B("a") }).ResponseAsync, "Delete with end below key");
        await Rejected(c => c.Kv.TxnAsync(Txn([new Compare { Key = B("\0"), RangeEnd = top, Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Greater, Version = 5 }], [Op(Put("b", "1"))])).ResponseAsync, "compare over a huge span, false: no put");
        await Pair.Delete(new DeleteRangeRequest { Key = B("\0"), RangeEnd = top, PrevKv = true });
        await Pair.Range(All());
    }

    [Fact]
    public async Task Empty_and_oversized_keys_and_values()
    {
        await SeedAsync();
        await Rejected(c => c.Kv.PutAsync(new PutRequest { Value = B("x") }).ResponseAsync, "empty key");
        await Rejected(c => c.Kv.PutAsync(new PutRequest { Key = Bytes(MaxRequestBytes, (byte)'k') }).ResponseAsync, "1.5 MiB key");
        await Rejected(c => c.Kv.PutAsync(new PutRequest { Key = B("a"), Value = Bytes(MaxRequestBytes, (byte)'v') }).ResponseAsync, "1.5 MiB value");
        await Rejected(c => c.Kv.PutAsync(new PutRequest { Key = Bytes(800 * 1024, (byte)'k'), Value = Bytes(800 * 1024, (byte)'v') }).ResponseAsync, "key and value of 800 KiB each");
        await Rejected(c => c.Kv.PutAsync(new PutRequest { Key = B("a"), Value = Bytes(2560 * 1024, (byte)'v') }).ResponseAsync, "2.5 MiB: above the gRPC receive limit");
        var twoHalves = Txn(success: [Op(new PutRequest { Key = B("p"), Value = Bytes(800 * 1024, 1) }), Op(new PutRequest { Key = B("q"), Value = Bytes(800 * 1024, 2) })]);
        await Rejected(c => c.Kv.TxnAsync(twoHalves).ResponseAsync, "txn of two 800 KiB puts");
        // Just under the limit is accepted; an empty value is a value.
        await Pair.Put(new PutRequest { Key = Bytes(1024 * 1024, (byte)'k'), Value = ByteString.Empty });
        await Pair.Range(new RangeRequest { Key = B("k"), RangeEnd = B("l"), KeysOnly = true, CountOnly = true });
    }

    [Fact]
    public async Task Txn_at_and_over_128_ops()
    {
        await SeedAsync();
        RequestOp[] Puts(int n, string prefix) => [.. Enumerable.Range(0, n).Select(i => Op(Put($"{prefix}{i:D3}", "v")))];
        await Rejected(c => c.Kv.TxnAsync(Txn(success: Puts(129, "s"))).ResponseAsync, "129 puts");
        await Rejected(c => c.Kv.TxnAsync(Txn(success: Puts(1, "s"), failure: Puts(129, "f"))).ResponseAsync, "129 ops in the branch not taken");
        await Rejected(c => c.Kv.TxnAsync(Txn(success: [Op(Txn(success: Puts(129, "n")))])).ResponseAsync, "129 ops in a nested txn");
        var compares = Enumerable.Range(0, 129).Select(i => Version($"c{i}", Compare.Types.CompareResult.Equal, 0));
        await Rejected(c => c.Kv.TxnAsync(Txn(compares, Puts(1, "s"))).ResponseAsync, "129 compares");
        await Pair.Txn(Txn(success: Puts(128, "s"), failure: Puts(128, "f")));      // at the limit: one revision, 128 keys
        await Pair.Range(new RangeRequest { Key = B("s"), RangeEnd = B("t"), CountOnly = true });
    }

    [Theory]
    [InlineData(10)]
    [InlineData(40)]
    [InlineData(60)]
    [InlineData(200)]
    public async Task Deeply_nested_txn(int depth)
    {
        await SeedAsync();
        var txn = Txn(success: [Op(Put("deep", "v"))]);
        for (var i = 1; i < depth; i++)
        {
            txn = Txn(success: [Op(txn)]);
        }

        var before = await Hashes();
        // etcd accepts up to the op budget (128 levels here) and answers with an equally deep response, which
        // this .NET client cannot decode (Google.Protobuf's 100-message limit): both sides then show that same
        // client-side error, and the Range below shows the put happened.
        var outcome = await Pair.Both(c => c.Kv.TxnAsync(txn).ResponseAsync, $"txn nested {depth} deep");
        if (outcome.Reference.Error?.StatusCode == StatusCode.InvalidArgument)
        {
            await AssertUnchanged(before, $"txn nested {depth} deep");
        }

        await Pair.Range(Range("deep"));
    }

    [Fact]
    public async Task Unknown_method_is_unimplemented_and_changes_nothing()
    {
        await SeedAsync();
        // grpc-go's words: "unknown method Frobnicate for service etcdserverpb.KV", "unknown service etcdserverpb.Nope".
        foreach (var (service, method) in new[] { ("etcdserverpb.KV", "Frobnicate"), ("etcdserverpb.Nope", "Range") })
        {
            var before = await Hashes();
            var reference = await RawCall.CaptureAsync(Pair.Reference.Endpoint.ClientUrl, service, method, [0x0a, 0x01, 0x61]);
            var candidate = await RawCall.CaptureAsync(Pair.Candidate.Endpoint.ClientUrl, service, method, [0x0a, 0x01, 0x61]);
            Assert.Equal((StatusCode.Unimplemented, StatusCode.Unimplemented), (reference.Code, candidate.Code));
            Assert.Equal(reference.Detail, candidate.Detail);
            await AssertUnchanged(before, $"{service}/{method}");
        }
    }

    [Theory]
    [InlineData("Put", new byte[] { 0xff, 0xff, 0xff })]                   // a tag that is not a valid varint
    [InlineData("Put", new byte[] { 0x0a, 0x10, 0x61 })]                   // key field claims 16 bytes, has 1
    [InlineData("Range", new byte[] { 0x0f })]                             // wire type 7 does not exist
    [InlineData("Txn", new byte[] { 0x12, 0x05, 0x0a, 0x03, 0x0a, 0x01 })] // a success op cut short
    [InlineData("DeleteRange", new byte[] { 0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 })] // 11-byte varint
    public async Task Garbage_bytes_are_rejected_and_change_nothing(string method, byte[] bytes)
    {
        await SeedAsync();
        var before = await Hashes();
        var reference = await RawCall.CaptureAsync(Pair.Reference.Endpoint.ClientUrl, "etcdserverpb.KV", method, bytes);
        var candidate = await RawCall.CaptureAsync(Pair.Candidate.Endpoint.ClientUrl, "etcdserverpb.KV", method, bytes);
        TestContext.Current.TestOutputHelper?.WriteLine($"etcd: {reference}\nFakeEtcd: {candidate}");
        // Same status code. The detail is the decoder's own text (Go's gogo/protobuf vs Google.Protobuf) and
        // no etcd client reads it, so only the code is compared.
        Assert.Equal(reference.Code, candidate.Code);
        await AssertUnchanged(before, $"garbage {method}");
    }
}

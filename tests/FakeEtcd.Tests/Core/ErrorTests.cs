using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using Google.Protobuf;
using Grpc.Core;
using static EtcdProtocol.Etcdserverpb.Compare.Types;
using static FakeEtcd.Tests.Support.EtcdAssert;
using static FakeEtcd.Tests.Support.Requests;

namespace FakeEtcd.Tests.Core;

/// <summary>Bad input gets etcd's exact error and leaves the state untouched (etcd-semantics §1.2).</summary>
public class ErrorTests
{
    private const string EmptyKey = "etcdserver: key is not provided";
    private const string KeyNotFound = "etcdserver: key not found";
    private const string Duplicate = "etcdserver: duplicate key given in txn request";
    private const string TooMany = "etcdserver: too many operations in txn request";
    private const string LeaseNotFound = "etcdserver: requested lease not found";

    private readonly Applier _etcd = new(new EtcdLimits());

    public ErrorTests() => _etcd.Put(Put("a", "1"));

    [Fact]
    public void EmptyKeysAreRejectedEverywhere()
    {
        Fails(StatusCode.InvalidArgument, EmptyKey, () => _etcd.Range(new RangeRequest()));
        Fails(StatusCode.InvalidArgument, EmptyKey, () => _etcd.Put(new PutRequest { Value = B("v") }));
        Fails(StatusCode.InvalidArgument, EmptyKey, () => _etcd.DeleteRange(new DeleteRangeRequest { RangeEnd = B("\0") }));
        Fails(StatusCode.InvalidArgument, EmptyKey, () => _etcd.Txn(Txn([new Compare { Target = CompareTarget.Version }], [])));
        Fails(StatusCode.InvalidArgument, EmptyKey, () => _etcd.Txn(Txn([], [], [Op(new RangeRequest())])));
        AssertUnchanged();
    }

    [Fact]
    public void PutFlagErrors()
    {
        Fails(StatusCode.InvalidArgument, "etcdserver: value is provided", () => _etcd.Put(new PutRequest { Key = B("a"), Value = B("x"), IgnoreValue = true }));
        Fails(StatusCode.InvalidArgument, "etcdserver: lease is provided", () => _etcd.Put(new PutRequest { Key = B("a"), Lease = 5, IgnoreLease = true }));
        Fails(StatusCode.InvalidArgument, KeyNotFound, () => _etcd.Put(new PutRequest { Key = B("zz"), IgnoreValue = true }));
        Fails(StatusCode.InvalidArgument, KeyNotFound, () => _etcd.Put(new PutRequest { Key = B("zz"), IgnoreLease = true }));
        Fails(StatusCode.NotFound, LeaseNotFound, () => _etcd.Put(Put("b", "1", lease: 12345)));
        AssertUnchanged();
    }

    [Fact]
    public void TxnErrorsFailTheWholeTxnWithoutChanges()
    {
        Fails(StatusCode.NotFound, LeaseNotFound, () => _etcd.Txn(Txn([], [Op(Put("b", "1")), Op(Put("c", "1", lease: 7))])));
        Fails(StatusCode.InvalidArgument, KeyNotFound, () => _etcd.Txn(Txn([], [Op(Put("b", "1")), Op(new PutRequest { Key = B("zz"), IgnoreValue = true })])));
        Fails(StatusCode.InvalidArgument, KeyNotFound, () => _etcd.Txn(Txn([], [Op(Put("b", "1")), new RequestOp()])));
        Fails(StatusCode.OutOfRange, "etcdserver: mvcc: required revision is a future revision", () => _etcd.Txn(Txn([], [Op(Put("b", "1")), Op(Get("a", revision: 99))])));
        AssertUnchanged();
    }

    [Fact]
    public void OnlyTheExecutedBranchIsCheckedForLeases()
    {
        var response = _etcd.Txn(Txn([], [Op(Put("b", "1"))], [Op(Put("c", "1", lease: 7))]));

        Assert.True(response.Succeeded);
        Assert.Equal(3, response.Header.Revision);
    }

    [Fact]
    public void OpLimitAppliesPerListNotToTheSum()
    {
        var ops = Enumerable.Range(0, 128).Select(i => Op(Get($"k{i}"))).ToList();
        var compares = Enumerable.Range(0, 128).Select(i => Cmp($"k{i}", CompareTarget.Version, CompareResult.Equal)).ToList();

        Assert.True(_etcd.Txn(Txn(compares, ops, ops)).Succeeded);
        Fails(StatusCode.InvalidArgument, TooMany, () => _etcd.Txn(Txn([], [.. ops, Op(Get("x"))])));
        Fails(StatusCode.InvalidArgument, TooMany, () => _etcd.Txn(Txn([.. compares, Cmp("x", CompareTarget.Version, CompareResult.Equal)], [])));
    }

    [Fact]
    public void NestedTxnGetsWhatTheParentLeftOfTheOpBudget()
    {
        var nested = Txn([], [Op(Get("x")), Op(Get("y"))]);
        var parent = Txn([], [.. Enumerable.Range(0, 127).Select(i => Op(Get($"k{i}"))), Op(nested)]);

        Fails(StatusCode.InvalidArgument, TooMany, () => _etcd.Txn(parent));
    }

    [Fact]
    public void DuplicateKeyRules()
    {
        Fails(StatusCode.InvalidArgument, Duplicate, () => _etcd.Txn(Txn([], [Op(Put("b", "1")), Op(Put("b", "2"))])));
        Fails(StatusCode.InvalidArgument, Duplicate, () => _etcd.Txn(Txn([], [Op(Delete("a", "c")), Op(Put("b", "2"))])));
        Fails(StatusCode.InvalidArgument, Duplicate, () => _etcd.Txn(Txn([], [Op(Put("b", "1")), Op(Txn([], [Op(Put("b", "2"))]))])));
        Fails(StatusCode.InvalidArgument, Duplicate, () => _etcd.Txn(Txn([], [Op(Delete("b")), Op(Txn([], [Op(Put("b", "2"))]))])));
        Fails(StatusCode.InvalidArgument, Duplicate, () => _etcd.Txn(Txn([], [Op(Put("b", "2")), Op(Txn([], [Op(Delete("a", "c"))]))])));
        AssertUnchanged();

        // Allowed: put and range of one key, overlapping deletes, one key in both branches of a nested txn,
        // and a put next to a delete whose range_end "\0" forms an empty interval in etcd's check.
        Assert.True(_etcd.Txn(Txn([], [Op(Put("b", "1")), Op(Get("b"))])).Succeeded);
        Assert.True(_etcd.Txn(Txn([], [Op(Delete("a", "c")), Op(Delete("b", "d"))])).Succeeded);
        Assert.True(_etcd.Txn(Txn([], [Op(Txn([], [Op(Put("b", "1"))], [Op(Put("b", "2"))]))])).Succeeded);
        Assert.True(_etcd.Txn(Txn([], [Op(Delete("a", "\0")), Op(Put("b", "2"))])).Succeeded);
    }

    [Fact]
    public void RequestTooLargeIsRejectedBeforeApply()
    {
        var big = new PutRequest { Key = B("big"), Value = ByteString.CopyFrom(new byte[1536 * 1024]) };
        var fits = new PutRequest { Key = B("fits"), Value = ByteString.CopyFrom(new byte[(1536 * 1024) - 64]) };

        Fails(StatusCode.InvalidArgument, "etcdserver: request is too large", () => _etcd.Put(big));
        Assert.Equal(3, _etcd.Put(fits).Header.Revision);
    }

    private void AssertUnchanged()
    {
        Assert.Equal(2, _etcd.CurrentRevision);
        Assert.Equal([Kv("a", "1", 2, 2, 1)], _etcd.Range(Get("\0", "\0")).Kvs);
    }
}

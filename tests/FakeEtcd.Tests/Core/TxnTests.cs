using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using static EtcdProtocol.Etcdserverpb.Compare.Types;
using static FakeEtcd.Tests.Support.Requests;

namespace FakeEtcd.Tests.Core;

/// <summary>Txn compares, branches, nesting and responses (etcd-semantics §5).</summary>
public class TxnTests
{
    private readonly Applier _etcd = new(new EtcdLimits());

    public TxnTests()
    {
        _etcd.Put(Put("a", "1")); // 2
        _etcd.Put(Put("b", "2")); // 3
    }

    private bool Succeeds(params Compare[] compares) => _etcd.Txn(Txn(compares, [])).Succeeded;

    [Theory]
    [InlineData("VERSION", "EQUAL", 1, true)]
    [InlineData("VERSION", "GREATER", 0, true)]
    [InlineData("CREATE", "EQUAL", 2, true)]
    [InlineData("CREATE", "LESS", 2, false)]
    [InlineData("MOD", "NOT_EQUAL", 2, false)]
    [InlineData("MOD", "LESS", 3, true)]
    [InlineData("LEASE", "EQUAL", 0, true)]
    public void ComparesAnExistingKey(string target, string result, long number, bool expected)
    {
        var compare = Cmp("a", Parse<CompareTarget>(target), Parse<CompareResult>(result), number);
        Assert.Equal(expected, Succeeds(compare));
    }

    private static T Parse<T>(string protoName)
        where T : struct, Enum =>
        Enum.Parse<T>(protoName.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true);

    [Fact]
    public void ComparesValuesBytewise()
    {
        Assert.True(Succeeds(Cmp("a", CompareTarget.Value, CompareResult.Equal, value: "1")));
        Assert.True(Succeeds(Cmp("a", CompareTarget.Value, CompareResult.Greater, value: "0")));
        Assert.True(Succeeds(Cmp("a", CompareTarget.Value, CompareResult.Less, value: "10")));
    }

    [Fact]
    public void MissingKeyComparesAsZeroButEveryValueCompareIsFalse()
    {
        Assert.True(Succeeds(Cmp("zz", CompareTarget.Create, CompareResult.Equal, 0)));
        Assert.True(Succeeds(Cmp("zz", CompareTarget.Version, CompareResult.Equal, 0)));
        Assert.True(Succeeds(Cmp("zz", CompareTarget.Mod, CompareResult.Equal, 0)));
        Assert.True(Succeeds(Cmp("zz", CompareTarget.Lease, CompareResult.Equal, 0)));
        Assert.False(Succeeds(Cmp("zz", CompareTarget.Value, CompareResult.NotEqual, value: "x")));
        Assert.False(Succeeds(Cmp("zz", CompareTarget.Value, CompareResult.Equal, value: string.Empty)));
    }

    [Fact]
    public void CompareWithRangeEndMustHoldForEveryKey()
    {
        Assert.True(Succeeds(new Compare { Key = B("a"), RangeEnd = B("c"), Target = CompareTarget.Version, Result = CompareResult.Equal, Version = 1 }));
        Assert.False(Succeeds(new Compare { Key = B("a"), RangeEnd = B("c"), Target = CompareTarget.Mod, Result = CompareResult.Equal, ModRevision = 2 }));
        Assert.True(Succeeds(new Compare { Key = B("a"), RangeEnd = B("\0"), Target = CompareTarget.Create, Result = CompareResult.Greater, CreateRevision = 1 }));
    }

    [Fact]
    public void UnsetTargetUnionCountsAsZero() =>
        Assert.True(Succeeds(new Compare { Key = B("zz"), Target = CompareTarget.Create, Result = CompareResult.Equal }));

    [Fact]
    public void FailureBranchRunsWhenACompareFails()
    {
        var response = _etcd.Txn(Txn(
            [Cmp("a", CompareTarget.Value, CompareResult.Equal, value: "nope")],
            [Op(Put("x", "then"))],
            [Op(Put("x", "else")), Op(Get("x"))]));

        Assert.False(response.Succeeded);
        Assert.Equal(4, response.Header.Revision);
        Assert.Equal(4, response.Responses[0].ResponsePut.Header.Revision);
        Assert.Equal([Kv("x", "else", 4, 4, 1)], response.Responses[1].ResponseRange.Kvs);
        Assert.Equal(4, response.Responses[1].ResponseRange.Header.Revision);
    }

    [Fact]
    public void NestedHeadersCarryOnlyTheRevisionAndNestedTxnHeadersAreEmpty()
    {
        var response = _etcd.Txn(Txn([], [Op(Get("a")), Op(Put("c", "3")), Op(Txn([], [Op(Get("c"))]))]));

        Assert.Equal(new ResponseHeader { Revision = 3 }, response.Responses[0].ResponseRange.Header);
        Assert.Equal(new ResponseHeader { Revision = 4 }, response.Responses[1].ResponsePut.Header);
        var nested = response.Responses[2].ResponseTxn;
        Assert.Equal(new ResponseHeader(), nested.Header);
        Assert.True(nested.Succeeded);
        Assert.Equal(new ResponseHeader { Revision = 4 }, nested.Responses[0].ResponseRange.Header);
    }

    [Fact]
    public void NestedComparesSeeThePreTxnStateWhileNestedRangesSeeEarlierWrites()
    {
        var response = _etcd.Txn(Txn([], [
            Op(Put("n", "new")),
            Op(Txn([Cmp("n", CompareTarget.Version, CompareResult.Equal, 0)], [Op(Get("n"))], [Op(Put("m", "x"))])),
        ]));

        var nested = response.Responses[1].ResponseTxn;
        Assert.True(nested.Succeeded);
        Assert.Equal([Kv("n", "new", 4, 4, 1)], nested.Responses[0].ResponseRange.Kvs);
        Assert.Equal(4, response.Header.Revision);
    }

    [Fact]
    public void DeleteInTxnReportsTheNewRevisionOnceSomethingChanged()
    {
        var response = _etcd.Txn(Txn([], [Op(Delete("nothing")), Op(Put("p", "1")), Op(Delete("nothing"))]));

        Assert.Equal(3, response.Responses[0].ResponseDeleteRange.Header.Revision);
        Assert.Equal(4, response.Responses[2].ResponseDeleteRange.Header.Revision);
        Assert.Equal(0, response.Responses[2].ResponseDeleteRange.Deleted);
    }

    [Fact]
    public void ReadOnlyTxnServesHistoricalRanges()
    {
        _etcd.Put(Put("a", "9")); // 4

        var response = _etcd.Txn(Txn([], [Op(Get("a", revision: 2))]));

        Assert.Equal([Kv("a", "1", 2, 2, 1)], response.Responses[0].ResponseRange.Kvs);
        Assert.Equal(4, response.Header.Revision);
    }
}

using dotnet_etcd;
using Etcdserverpb;
using FakeEtcd.Tests.Support;
using Google.Protobuf;
using Grpc.Core;
using static FakeEtcd.Tests.Support.EtcdAssert;

namespace FakeEtcd.Tests.Integration;

/// <summary>FakeEtcd through dotnet-etcd, the reference .NET client, over a real loopback port.</summary>
public sealed class DotnetEtcdClientTests : InProcessClientTest
{
    protected override EtcdClient CreateClient(FakeEtcdServer server) => new(server.ClientUrl.ToString());

    [Fact]
    public async Task PutGetDeleteThroughTheConnectionStringClient()
    {
        var ct = TestContext.Current.CancellationToken;
        var put = await Client.PutAsync("app/a", "1", cancellationToken: ct);
        await Client.PutAsync("app/b", "2", cancellationToken: ct);

        Assert.Equal(2, put.Header.Revision);
        Assert.Equal("1", await Client.GetValAsync("app/a", cancellationToken: ct));
        var range = await Client.GetRangeAsync("app/", cancellationToken: ct);
        Assert.Equal(["app/a", "app/b"], range.Kvs.Select(kv => kv.Key.ToStringUtf8()));
        Assert.Equal((Server.ClusterId, Server.MemberId, 2UL), (range.Header.ClusterId, range.Header.MemberId, range.Header.RaftTerm));

        var deleted = await Client.DeleteRangeAsync("app/", cancellationToken: ct);
        Assert.Equal((2L, 4L), (deleted.Deleted, deleted.Header.Revision));
    }

    [Fact]
    public async Task CompareAndSwapTxn()
    {
        var ct = TestContext.Current.CancellationToken;
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = ByteString.CopyFromUtf8("lock"), Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8("lock"), Value = ByteString.CopyFromUtf8("me") } });
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = ByteString.CopyFromUtf8("lock") } });

        var first = await Client.TransactionAsync(txn, cancellationToken: ct);
        var second = await Client.TransactionAsync(txn, cancellationToken: ct);

        Assert.True(first.Succeeded);
        Assert.False(second.Succeeded);
        Assert.Equal("me", second.Responses[0].ResponseRange.Kvs[0].Value.ToStringUtf8());
        Assert.Equal(2, second.Header.Revision);
    }

    [Fact]
    public async Task ErrorsArriveWithEtcdsCodeAndMessage()
    {
        var ct = TestContext.Current.CancellationToken;
        await FailsAsync(StatusCode.InvalidArgument, "etcdserver: key is not provided",
            () => Client.PutAsync(new PutRequest { Value = ByteString.CopyFromUtf8("v") }, cancellationToken: ct));
        await FailsAsync(StatusCode.OutOfRange, "etcdserver: mvcc: required revision is a future revision",
            () => Client.GetAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("a"), Revision = 100 }, cancellationToken: ct));
        await FailsAsync(StatusCode.NotFound, "etcdserver: requested lease not found",
            () => Client.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("a"), Lease = 42 }, cancellationToken: ct));
        await FailsAsync(StatusCode.InvalidArgument, "etcdserver: request is too large",
            () => Client.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("a"), Value = ByteString.CopyFrom(new byte[1600 * 1024]) }, cancellationToken: ct));
        var overGrpcLimit = await Assert.ThrowsAsync<RpcException>(
            () => Client.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("a"), Value = ByteString.CopyFrom(new byte[2100 * 1024]) }, cancellationToken: ct));
        Assert.Equal(StatusCode.ResourceExhausted, overGrpcLimit.StatusCode);
        Assert.Equal(1, (await Client.GetAsync("a", cancellationToken: ct)).Header.Revision);
    }

    [Fact]
    public async Task StatusAlarmAndMemberListAnswerWhatClientsProbe()
    {
        var ct = TestContext.Current.CancellationToken;
        var status = await Client.StatusAsync(new StatusRequest(), cancellationToken: ct);
        var alarms = await Client.AlarmAsync(new AlarmRequest { Action = AlarmRequest.Types.AlarmAction.Get }, cancellationToken: ct);
        var members = await Client.MemberListAsync(new MemberListRequest(), cancellationToken: ct);

        Assert.Equal("3.5.26", status.Version);
        Assert.Equal(status.Header.MemberId, status.Leader);
        Assert.Equal(Server.MemberId, status.Leader);
        Assert.Equal(status.RaftIndex, status.RaftAppliedIndex);
        Assert.True(status.DbSize > 0);
        Assert.Empty(alarms.Alarms);
        var member = Assert.Single(members.Members);
        Assert.Equal(("default", Server.MemberId, 0L), (member.Name, member.ID, members.Header.Revision));
        Assert.Equal([Server.ClientUrl.GetLeftPart(UriPartial.Authority)], member.ClientURLs);
    }

    [Fact]
    public async Task AuthenticateFailsAsOnAnEtcdWithoutAuth()
    {
        var ct = TestContext.Current.CancellationToken;
        await FailsAsync(StatusCode.FailedPrecondition, "etcdserver: authentication is not enabled",
            () => Client.AuthenticateAsync(new AuthenticateRequest { Name = "root", Password = "x" }, cancellationToken: ct));
    }
}

using dotnet_etcd;
using Etcdserverpb;
using FakeEtcd.Testing;
using Google.Protobuf;

namespace FakeEtcd.Sample.Tests;

/// <summary>One FakeEtcd for this class, started by xunit; dotnet-etcd talks to it like to any etcd.</summary>
public sealed class KeyValueTests(FakeEtcdFixture etcd) : IClassFixture<FakeEtcdFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PutThenGetReturnsTheValue()
    {
        using var client = new EtcdClient(etcd.ClientUrl.ToString());
        var key = etcd.UniquePrefix("config") + "feature-x";

        var put = await client.PutAsync(key, "on", cancellationToken: Ct);
        var range = await client.GetAsync(key, cancellationToken: Ct);

        var kv = Assert.Single(range.Kvs);
        Assert.Equal(("on", put.Header.Revision, put.Header.Revision), (kv.Value.ToStringUtf8(), kv.CreateRevision, range.Header.Revision));
    }

    [Fact]
    public async Task KeyOnALeaseIsGoneOnceVirtualTimePassesItsTtl()
    {
        using var client = new EtcdClient(etcd.CreateCallInvoker());
        var key = etcd.UniquePrefix("locks") + "job-42";
        var lease = await client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30 }, cancellationToken: Ct);
        await client.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8("worker-1"), Lease = lease.ID }, cancellationToken: Ct);

        await etcd.AdvanceAsync(TimeSpan.FromSeconds(29), Ct);
        Assert.Equal(1, (await client.GetAsync(key, cancellationToken: Ct)).Count);

        await etcd.AdvanceAsync(TimeSpan.FromSeconds(1), Ct);
        Assert.Equal(0, (await client.GetAsync(key, cancellationToken: Ct)).Count);
    }
}

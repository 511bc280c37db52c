using dotnet_etcd;
using Etcdserverpb;
using FakeEtcd.Testing;
using Google.Protobuf;

namespace FakeEtcd.Tests.Testing;

/// <summary>The xunit fixture package used as a consumer would: one server per class, injected by xunit.</summary>
public sealed class FakeEtcdFixtureClassTests(FakeEtcdFixture etcd) : IClassFixture<FakeEtcdFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClientsReachTheServerThroughTheUrlAndTheCallInvoker()
    {
        var key = etcd.UniquePrefix("kv") + "a";
        using var byUrl = new EtcdClient(etcd.ClientUrl.ToString());
        using var byInvoker = new EtcdClient(etcd.CreateCallInvoker());

        var put = await byUrl.PutAsync(key, "1", cancellationToken: Ct);

        var range = await byInvoker.GetAsync(key, cancellationToken: Ct);
        Assert.Equal(("1", put.Header.Revision), (range.Kvs.Single().Value.ToStringUtf8(), range.Header.Revision));
        Assert.Equal(etcd.Server.MemberId, range.Header.MemberId);
    }

    [Fact]
    public async Task LeaseExpiresExactlyWhenTheFixtureAdvancesItsClockByTheTtl()
    {
        var key = etcd.UniquePrefix("lease") + "active";
        using var client = new EtcdClient(etcd.CreateCallInvoker());
        var granted = etcd.Clock.Elapsed;
        var lease = await client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 10 }, cancellationToken: Ct);
        await client.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8(key), Lease = lease.ID }, cancellationToken: Ct);

        await etcd.AdvanceAsync(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1), Ct);
        Assert.Equal(1, (await client.GetAsync(key, cancellationToken: Ct)).Count);

        await etcd.AdvanceAsync(TimeSpan.FromMilliseconds(1), Ct);
        Assert.Equal(0, (await client.GetAsync(key, cancellationToken: Ct)).Count);
        Assert.Equal(granted + TimeSpan.FromSeconds(10), etcd.Clock.Elapsed);
        Assert.Same(etcd.Clock, etcd.TimeProvider);
    }
}

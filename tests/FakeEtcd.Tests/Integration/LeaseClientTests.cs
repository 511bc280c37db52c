using Etcdserverpb;
using FakeEtcd.Tests.Support;
using Grpc.Core;
using static FakeEtcd.Tests.Support.EtcdAssert;

namespace FakeEtcd.Tests.Integration;

/// <summary>Leases through dotnet-etcd with the server's virtual clock driving expiry.</summary>
public sealed class LeaseClientTests : InProcessClientTest
{
    [Fact]
    public async Task SixtySecondSessionExpiresExactlyWhenTheClockSaysSo()
    {
        var lease = await Client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 }, cancellationToken: Ct);
        await Client.PutAsync(new PutRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8("by-dev/meta/session/rootcoord"), Lease = lease.ID }, cancellationToken: Ct);

        await Server.Clock.AdvanceAsync(TimeSpan.FromSeconds(59.999), Ct);
        Assert.Equal(1, (await Client.GetAsync("by-dev/meta/session/rootcoord", cancellationToken: Ct)).Count);
        await Server.Clock.AdvanceAsync(TimeSpan.FromMilliseconds(1), Ct);

        var range = await Client.GetAsync("by-dev/meta/session/rootcoord", cancellationToken: Ct);
        Assert.Equal((0L, 3L), (range.Count, range.Header.Revision));
        var ttl = await Client.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = lease.ID }, cancellationToken: Ct);
        Assert.Equal((-1L, 0L), (ttl.TTL, ttl.GrantedTTL));
    }

    [Fact]
    public async Task KeepAliveStreamAnswersEveryRequestAndEndsWhenTheClientHalfCloses()
    {
        var lease = await Client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 10 }, cancellationToken: Ct);
        var responses = new List<LeaseKeepAliveResponse>();

        await Client.LeaseKeepAlive(
            [new LeaseKeepAliveRequest { ID = lease.ID }, new LeaseKeepAliveRequest { ID = 12345 }, new LeaseKeepAliveRequest { ID = lease.ID }],
            responses.Add,
            Ct);

        Assert.Equal([(lease.ID, 10L), (12345L, 0L), (lease.ID, 10L)], responses.Select(r => (r.ID, r.TTL)));
        Assert.All(responses, r => Assert.Equal(Server.MemberId, r.Header.MemberId));
    }

    [Fact]
    public async Task KeepAliveEveryTwentySecondsKeepsTheSessionForAnHour()
    {
        var lease = await Client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 }, cancellationToken: Ct);
        await Client.PutAsync(new PutRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8("session"), Lease = lease.ID }, cancellationToken: Ct);
        var callInvoker = Server.CreateCallInvoker();
        using var call = new Lease.LeaseClient(callInvoker).LeaseKeepAlive(cancellationToken: Ct);

        for (var i = 0; i < 180; i++)
        {
            await Server.Clock.AdvanceAsync(TimeSpan.FromSeconds(20), Ct);
            await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease.ID }, Ct);
            Assert.True(await call.ResponseStream.MoveNext(Ct));
            Assert.Equal(60, call.ResponseStream.Current.TTL);
        }

        Assert.Equal(1, (await Client.GetAsync("session", cancellationToken: Ct)).Count);
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(Ct));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task LeaseErrorsOverTheWire()
    {
        await FailsAsync(StatusCode.NotFound, "etcdserver: requested lease not found",
            () => Client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = 777 }, cancellationToken: Ct));
        await Client.LeaseGrantAsync(new LeaseGrantRequest { ID = 777, TTL = 5 }, cancellationToken: Ct);
        await FailsAsync(StatusCode.FailedPrecondition, "etcdserver: lease already exists",
            () => Client.LeaseGrantAsync(new LeaseGrantRequest { ID = 777, TTL = 5 }, cancellationToken: Ct));
        await FailsAsync(StatusCode.OutOfRange, "etcdserver: too large lease TTL",
            () => Client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 9_000_000_001 }, cancellationToken: Ct));
        var leases = await Client.LeaseLeasesAsync(new LeaseLeasesRequest(), cancellationToken: Ct);
        Assert.Equal([777L], leases.Leases.Select(l => l.ID));
    }

    [Fact]
    public async Task ServerOnTheSystemClockHasNoVirtualClock()
    {
        await using var wallClock = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { TimeProvider = TimeProvider.System }, Ct);

        Assert.Same(TimeProvider.System, wallClock.TimeProvider);
        Assert.Throws<InvalidOperationException>(() => wallClock.Clock);
        Assert.IsType<VirtualClock>(Server.TimeProvider);
    }
}

using dotnet_etcd;
using EtcdProtocol.Control;
using Grpc.Core;

namespace FakeEtcd.Tests.Integration;

/// <summary>Time control from outside the process: the fakeetcd.v1.Clock service and the 'clock' command.</summary>
public class ClockControlTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AdvanceOverGrpcExpiresLeases()
    {
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        using var channel = server.CreateChannel();
        var control = new EtcdProtocol.Control.Clock.ClockClient(channel);
        using var etcd = new EtcdClient(server.ClientUrl.ToString());
        var lease = await etcd.LeaseGrantAsync(new Etcdserverpb.LeaseGrantRequest { TTL = 30 }, cancellationToken: Ct);
        await etcd.PutAsync(new Etcdserverpb.PutRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8("k"), Lease = lease.ID }, cancellationToken: Ct);

        var before = await control.NowAsync(new NowRequest(), cancellationToken: Ct);
        var after = await control.AdvanceAsync(new AdvanceRequest { Nanos = 30_000_000_000 }, cancellationToken: Ct);

        Assert.Equal((true, 0L, 0d, 2L), (before.Virtual, before.ElapsedNanos, before.TimeScale, before.Revision));
        Assert.Equal((30_000_000_000L, 3L), (after.ElapsedNanos, after.Revision));
        Assert.Equal(before.UnixNanos + 30_000_000_000, after.UnixNanos);
        Assert.Equal(0, (await etcd.GetAsync("k", cancellationToken: Ct)).Count);
        var negative = await Assert.ThrowsAsync<RpcException>(() => control.AdvanceAsync(new AdvanceRequest { Nanos = -1 }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, negative.StatusCode);
    }

    [Fact]
    public async Task SystemClockRefusesToAdvance()
    {
        await using var server = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { TimeProvider = TimeProvider.System }, Ct);
        using var channel = server.CreateChannel();
        var control = new EtcdProtocol.Control.Clock.ClockClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => control.AdvanceAsync(new AdvanceRequest { Nanos = 1 }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal((StatusCode.FailedPrecondition, "the server runs on the system clock; start it with --clock virtual"), (error.StatusCode, error.Status.Detail));
        Assert.False((await control.NowAsync(new NowRequest(), cancellationToken: Ct)).Virtual);
    }

    [Fact]
    public async Task ClockCommandAdvancesAStandaloneVirtualServer()
    {
        await using var server = await StandaloneProcess.StartAsync("--listen-client-urls", "http://127.0.0.1:0", "--clock", "virtual");
        using var etcd = new EtcdClient(server.ClientUrl.ToString());
        var lease = await etcd.LeaseGrantAsync(new Etcdserverpb.LeaseGrantRequest { TTL = 60 }, cancellationToken: Ct);
        await etcd.PutAsync(new Etcdserverpb.PutRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8("k"), Lease = lease.ID }, cancellationToken: Ct);

        var first = await StandaloneProcess.RunToEndAsync("clock", "advance", "59s", "--endpoints", server.ClientUrl.ToString());
        Assert.Equal(1, (await etcd.GetAsync("k", cancellationToken: Ct)).Count);
        var second = await StandaloneProcess.RunToEndAsync("clock", "advance", "1s", "--endpoints", server.ClientUrl.ToString());

        Assert.Equal((0, "virtual clock: 2000-01-01T00:00:59.0000000+00:00 elapsed 00:00:59 scale 0 revision 2"), first);
        Assert.Equal((0, "virtual clock: 2000-01-01T00:01:00.0000000+00:00 elapsed 00:01:00 scale 0 revision 3"), second);
        Assert.Equal(0, (await etcd.GetAsync("k", cancellationToken: Ct)).Count);
        Assert.Equal((2, string.Empty), await StandaloneProcess.RunToEndAsync("clock", "advance", "soon", "--endpoints", server.ClientUrl.ToString()));
    }
}

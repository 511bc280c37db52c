using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace FakeEtcd.Tests.Watch;

/// <summary>
/// Watch streams on the virtual clock: what advancing time causes has been read by the fixture's
/// client when AdvanceAsync returns, with no sleeps or polling.
/// </summary>
public sealed class WatchClockTests : IAsyncLifetime
{
    private FakeEtcdServer _server = null!;
    private KV.KVClient _kv = null!;
    private Lease.LeaseClient _lease = null!;
    private AsyncDuplexStreamingCall<WatchRequest, WatchResponse> _watch = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeEtcdServer.StartAsync(
            new FakeEtcdServerOptions { WatchProgressNotifyInterval = TimeSpan.FromMinutes(10) }, TestContext.Current.CancellationToken);
        var invoker = _server.CreateCallInvoker();
        _kv = new KV.KVClient(invoker);
        _lease = new Lease.LeaseClient(invoker);
        _watch = new Etcdserverpb.Watch.WatchClient(invoker).Watch(cancellationToken: TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _watch.Dispose();
        await _server.DisposeAsync();
    }

    private Task<bool> Next() => _watch.ResponseStream.MoveNext(TestContext.Current.CancellationToken);

    private async Task<WatchResponse> Create(string key, bool progressNotify = false)
    {
        await _watch.RequestStream.WriteAsync(new WatchRequest
        {
            CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFromUtf8(key), ProgressNotify = progressNotify, PrevKv = true },
        });
        Assert.True(await Next());
        return _watch.ResponseStream.Current;
    }

    [Fact]
    public async Task Lease_expiry_delete_has_been_received_when_AdvanceAsync_returns()
    {
        var ct = TestContext.Current.CancellationToken;
        var lease = await _lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 }, cancellationToken: ct);
        await _kv.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("active"), Value = ByteString.CopyFromUtf8("me"), Lease = lease.ID }, cancellationToken: ct);
        Assert.True((await Create("active")).Created);

        var next = Next();
        await _server.Clock.AdvanceAsync(TimeSpan.FromSeconds(59), ct);
        Assert.False(next.IsCompleted);                                     // Nothing expired yet.
        await _server.Clock.AdvanceAsync(TimeSpan.FromSeconds(1), ct);
        Assert.True(next.IsCompletedSuccessfully, "the DELETE must have been read when AdvanceAsync returns");
        Assert.True(await next);
        var deleted = Assert.Single(_watch.ResponseStream.Current.Events);
        Assert.Equal((Mvccpb.Event.Types.EventType.Delete, 3L, "me"), (deleted.Type, deleted.Kv.ModRevision, deleted.PrevKv.Value.ToStringUtf8()));
    }

    [Fact]
    public async Task Progress_notifications_follow_the_server_clock()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.True((await Create("quiet", progressNotify: true)).Created);
        Assert.True((await Create("busy", progressNotify: true)).Created);
        Assert.True((await Create("silent")).Created);

        var next = Next();
        await _server.Clock.AdvanceAsync(TimeSpan.FromMinutes(9), ct);
        Assert.False(next.IsCompleted);
        await _kv.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("busy"), Value = ByteString.CopyFromUtf8("1") }, cancellationToken: ct); // 2
        Assert.True(await next);
        Assert.Equal(1, _watch.ResponseStream.Current.WatchId);

        next = Next();
        await _server.Clock.AdvanceAsync(TimeSpan.FromMinutes(1), ct);     // First tick: only the watcher without events.
        Assert.True(next.IsCompletedSuccessfully);
        Assert.True(await next);
        Assert.Equal((0L, 2L, 0), (_watch.ResponseStream.Current.WatchId, _watch.ResponseStream.Current.Header.Revision, _watch.ResponseStream.Current.Events.Count));

        var progress = new List<long>();
        next = Next();
        await _server.Clock.AdvanceAsync(TimeSpan.FromMinutes(10), ct);    // Second tick: both.
        for (var i = 0; i < 2; i++)
        {
            Assert.True(next.IsCompletedSuccessfully);
            Assert.True(await next);
            progress.Add(_watch.ResponseStream.Current.WatchId);
            next = Next();
        }

        await _server.Clock.AdvanceAsync(TimeSpan.Zero, ct);
        Assert.False(next.IsCompleted);
        Assert.Equal([0L, 1L], progress.Order());
    }
}

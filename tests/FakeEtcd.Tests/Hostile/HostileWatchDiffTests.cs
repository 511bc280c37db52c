using Etcdserverpb;
using FakeEtcd.Tests.Differential;
using Grpc.Core;
using Grpc.Net.Client;
using static FakeEtcd.Tests.Differential.Req;

namespace FakeEtcd.Tests.Hostile;

/// <summary>
/// Watch and KeepAlive streams under abuse: thousands of watchers on one stream, streams cut mid-flight,
/// garbage frames, odd create requests. The server keeps serving everyone else and its state is untouched.
/// </summary>
public sealed class HostileWatchDiffTests : HostileDiffTest
{
    [Fact]
    public async Task Two_thousand_watchers_on_one_stream()
    {
        const int Watchers = 2000;
        await SeedAsync();
        var before = await Hashes();
        await using var w = WatchDiff.Open(Pair);
        for (var i = 0; i < Watchers; i++)
        {
            await w.Create(WatchDiffTests.WatchOn(i % 2 == 0 ? "a" : "w/", i % 2 == 0 ? null : "w0", prevKv: i % 3 == 0));
        }

        await w.Expect(Watchers, "2000 created responses, ids 0..1999");
        await AssertUnchanged(before, "2000 watch creates");
        await Pair.Txn(Txn(success: [Op(Put("a", "3")), Op(Put("w/1", "x"))]));     // 7: every watcher sees one event
        await w.Expect(Watchers, "one event response per watcher");
        await w.Cancel(0);
        await w.Cancel(Watchers - 1);
        await w.Expect(2, "two cancels");
        await w.Fence();
    }

    [Fact]
    public async Task Watch_stream_cut_mid_flight_leaves_other_streams_and_state_untouched()
    {
        await SeedAsync();
        await using var survivor = WatchDiff.Open(Pair);
        await survivor.Create(WatchDiffTests.WatchOn("a"));
        await survivor.Expect(1, "created");
        var before = await Hashes();
        foreach (var side in new[] { Pair.Reference, Pair.Candidate })
        {
            // A second client with its own connection: watchers with history being replayed, then the
            // connection is dropped without a cancel or half-close.
            using var channel = GrpcChannel.ForAddress(side.Endpoint.ClientUrl);
            using var cut = new CancellationTokenSource();
            var call = new Etcdserverpb.Watch.WatchClient(channel).Watch(cancellationToken: cut.Token);
            for (var i = 0; i < 50; i++)
            {
                await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = WatchDiffTests.WatchOn("\0", "\0", start: 3, prevKv: true) }, TestContext.Current.CancellationToken);
            }

            Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
            await cut.CancelAsync();
            call.Dispose();
        }

        await AssertUnchanged(before, "a cut watch stream");
        await Pair.Put("a", "after");                                                // 7
        await survivor.Expect(1, "the other stream still gets its event");
        await survivor.Fence();
    }

    [Fact]
    public async Task KeepAlive_stream_cut_mid_flight_keeps_the_lease()
    {
        await SeedAsync();
        var before = await Hashes();
        foreach (var side in new[] { Pair.Reference, Pair.Candidate })
        {
            using var channel = GrpcChannel.ForAddress(side.Endpoint.ClientUrl);
            using var cut = new CancellationTokenSource();
            var call = new Lease.LeaseClient(channel).LeaseKeepAlive(cancellationToken: cut.Token);
            for (var i = 0; i < 20; i++)
            {
                await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = 0x77 }, TestContext.Current.CancellationToken);
            }

            Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
            await cut.CancelAsync();
            call.Dispose();
        }

        await AssertUnchanged(before, "a cut keepalive stream");
        await Pair.Both(c => c.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = 0x77 }).ResponseAsync, "the lease is still there to revoke");
        await Pair.Range(All());
    }

    [Fact]
    public async Task Odd_watch_requests()
    {
        await SeedAsync();
        var before = await Hashes();
        await using var w = WatchDiff.Open(Pair);
        await w.Send(new WatchRequest());                                            // no request at all: ignored
        await w.Cancel(12345);                                                       // unknown id: no answer
        await w.Cancel(-1);                                                          // no answer
        await w.Create(WatchDiffTests.WatchOn("z", "a"));                            // end below key: rejected
        await w.Create(new WatchCreateRequest { Key = B("a"), Filters = { (WatchCreateRequest.Types.FilterType)7 } }); // unknown filter
        await w.Create(new WatchCreateRequest { Key = Bytes(4096, 0xff), RangeEnd = B("\0") });                        // huge key, to the end
        await w.Create(new WatchCreateRequest { Key = B("a"), StartRevision = long.MaxValue });                        // far future
        await w.Create(new WatchCreateRequest { Key = B("a"), WatchId = 1 });                                          // id already taken
        await w.Expect(5, "rejected create, then created x3, then the duplicate id");
        await AssertUnchanged(before, "odd watch requests");
        await w.Fence();
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xff, 0xff })]
    [InlineData(new byte[] { 0x0a, 0x40, 0x0a })]
    public async Task Garbage_frame_on_a_watch_stream_ends_only_that_stream(byte[] garbage)
    {
        await SeedAsync();
        await using var survivor = WatchDiff.Open(Pair);
        await survivor.Create(WatchDiffTests.WatchOn("a"));
        await survivor.Expect(1, "created");
        var before = await Hashes();
        var codes = new List<StatusCode>();
        foreach (var side in new[] { Pair.Reference, Pair.Candidate })
        {
            using var channel = GrpcChannel.ForAddress(side.Endpoint.ClientUrl);
            var bytes = Marshallers.Create<byte[]>(b => b, b => b);
            var method = new Method<byte[], byte[]>(MethodType.DuplexStreaming, "etcdserverpb.Watch", "Watch", bytes, bytes);
            using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(method, null, new CallOptions(cancellationToken: TestContext.Current.CancellationToken));
            await call.RequestStream.WriteAsync(garbage, TestContext.Current.CancellationToken);
            var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
            TestContext.Current.TestOutputHelper?.WriteLine($"{side.Endpoint.Name}: {error.StatusCode} {error.Status.Detail}");
            codes.Add(error.StatusCode);
        }

        Assert.Equal(codes[0], codes[1]);
        await AssertUnchanged(before, "a garbage watch frame");
        await Pair.Put("a", "after");
        await survivor.Expect(1, "the other stream still gets its event");
        await survivor.Fence();
    }
}

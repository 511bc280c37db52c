using dotnet_etcd;
using Etcdserverpb;
using FakeEtcd.Tests.Support;
using Google.Protobuf;
using Mvccpb;

namespace FakeEtcd.Tests.Watch;

/// <summary>FakeEtcd's Watch through dotnet-etcd's watch API (client-chosen ids from 2, routing by watch id).</summary>
public sealed class DotnetEtcdWatchTests : InProcessClientTest
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(15);
    protected override EtcdClient CreateClient(FakeEtcdServer server) => new(server.ClientUrl.ToString());

    /// <summary>Collects callback responses and completes when <paramref name="until"/> holds (a bounded safety wait).</summary>
    private sealed class Collector(Func<List<WatchResponse>, bool> until)
    {
        private readonly Lock _gate = new();
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<WatchResponse> Seen { get; } = [];

        public void Add(WatchResponse response)
        {
            lock (_gate)
            {
                Seen.Add(response);
                if (until(Seen))
                {
                    _done.TrySetResult();
                }
            }
        }

        public Task Done => _done.Task.WaitAsync(Budget, TimeProvider.System);
    }

    private static IEnumerable<(Event.Types.EventType, string, string?)> Events(IEnumerable<WatchResponse> responses) =>
        responses.SelectMany(r => r.Events).Select(e => (e.Type, e.Kv.Key.ToStringUtf8(), e.PrevKv?.Value.ToStringUtf8()));

    [Fact]
    public async Task WatchAsync_on_a_key_sees_put_and_delete_with_prev_kv()
    {
        var ct = TestContext.Current.CancellationToken;
        var collector = new Collector(seen => seen.Sum(r => r.Events.Count) >= 3);
        await Client.WatchAsync("cfg", collector.Add, cancellationToken: ct);
        await Client.PutAsync("cfg", "1", cancellationToken: ct);
        await Client.PutAsync("cfg", "2", cancellationToken: ct);
        await Client.DeleteAsync("cfg", cancellationToken: ct);
        await collector.Done;
        Assert.Equal(
            [(Event.Types.EventType.Put, "cfg", null), (Event.Types.EventType.Put, "cfg", "1"), (Event.Types.EventType.Delete, "cfg", "2")],
            Events(collector.Seen));
        Assert.Contains(collector.Seen, r => r.Created && r.WatchId >= 2);
    }

    [Fact]
    public async Task WatchRange_and_several_watches_on_one_stream_are_routed_by_id()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = new Collector(seen => seen.Sum(r => r.Events.Count) >= 2);
        var single = new Collector(seen => seen.Sum(r => r.Events.Count) >= 1);
        await Client.WatchRangeAsync("svc/", prefix.Add, cancellationToken: ct);
        await Client.WatchAsync("svc/b", single.Add, cancellationToken: ct);
        await Client.PutAsync("svc/a", "1", cancellationToken: ct);
        await Client.PutAsync("svc/b", "1", cancellationToken: ct);
        await Client.PutAsync("other", "1", cancellationToken: ct);
        await Task.WhenAll(prefix.Done, single.Done);
        Assert.Equal(["svc/a", "svc/b"], Events(prefix.Seen).Select(e => e.Item2));
        Assert.Equal(["svc/b"], Events(single.Seen).Select(e => e.Item2));
        Assert.NotEqual(prefix.Seen[0].WatchId, single.Seen[0].WatchId);
    }

    [Fact]
    public async Task Watch_request_with_start_revision_replays_history()
    {
        var ct = TestContext.Current.CancellationToken;
        await Client.PutAsync("h", "1", cancellationToken: ct);           // 2
        await Client.PutAsync("h", "2", cancellationToken: ct);           // 3
        var collector = new Collector(seen => seen.Sum(r => r.Events.Count) >= 2);
        var request = new WatchRequest { CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFromUtf8("h"), StartRevision = 2 } };
        await Client.WatchAsync(request, collector.Add, cancellationToken: ct);
        await collector.Done;
        Assert.Equal([2L, 3L], collector.Seen.SelectMany(r => r.Events).Select(e => e.Kv.ModRevision));
    }

    [Fact]
    public async Task Watch_on_the_fixture_call_invoker_settles_with_the_clock()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = new EtcdClient(Server.CreateCallInvoker());
        var lease = await client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 10 }, cancellationToken: ct);
        await client.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("leader"), Value = ByteString.CopyFromUtf8("me"), Lease = lease.ID }, cancellationToken: ct);
        var collector = new Collector(seen => seen.Any(r => r.Events.Any(e => e.Type == Event.Types.EventType.Delete)));
        await client.WatchAsync("leader", collector.Add, cancellationToken: ct);
        await Server.Clock.AdvanceAsync(TimeSpan.FromSeconds(10), ct);
        await collector.Done;                                               // dotnet-etcd runs callbacks on its own chain.
        Assert.Equal((Event.Types.EventType.Delete, "leader", "me"), Events(collector.Seen).Single());
    }
}

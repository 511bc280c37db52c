using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace FakeEtcd.Tests.Watch;

/// <summary>
/// Many writers and many watchers at once, with tiny stream buffers so watchers keep falling
/// behind and catching up: every watcher must see exactly the committed history of its range from
/// its start revision, in order, each event once.
/// </summary>
public sealed class WatchConcurrencyTests
{
    private const int Writers = 8;
    private const int WritesPerWriter = 60;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private sealed record Spec(string Key, string End, long Start);

    [Fact]
    public async Task Every_watcher_sees_exactly_the_committed_history_in_order()
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        budget.CancelAfter(Budget);
        var ct = budget.Token;
        await using var server = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { WatchStreamCapacity = 4 }, ct);
        using var channel = server.CreateChannel();
        var kv = new KV.KVClient(channel);
        var watch = new Etcdserverpb.Watch.WatchClient(channel);

        Spec[] specs =
        [
            new("c/", "c0", 0), new("c/", "c0", 1), new("c/0/1", "", 0), new("c/3", "\0", 0), new("c/5/", "c/5/~", 0),
        ];
        var streams = Enumerable.Range(0, 6).Select(_ => watch.Watch(cancellationToken: ct)).ToList();
        for (var s = 0; s < streams.Count; s++)
        {
            foreach (var spec in specs)
            {
                await streams[s].RequestStream.WriteAsync(new WatchRequest
                {
                    CreateRequest = new WatchCreateRequest { Key = B(spec.Key), RangeEnd = B(spec.End), StartRevision = spec.Start, PrevKv = true },
                }, ct);
            }
        }

        var states = streams.Select(_ => new StreamState()).ToList();
        var readers = streams.Select((call, i) => ReadUntilFenceAsync(call, states[i], specs, ct)).ToList();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(
            async () =>
            {
                for (var i = 0; i < WritesPerWriter; i++)
                {
                    var key = B($"c/{w}/{i % 4}");
                    if (i % 7 == 6)
                    {
                        await kv.DeleteRangeAsync(new DeleteRangeRequest { Key = key }, cancellationToken: ct);
                    }
                    else
                    {
                        await kv.PutAsync(new PutRequest { Key = key, Value = B(i.ToString(CultureInfo.InvariantCulture)) }, cancellationToken: ct);
                    }
                }
            },
            ct)).ToList();
        await Task.WhenAll(writers);

        // The committed history, straight from the revision log.
        var history = server.Applier.WithHistory(h => h.From(0).ToList());
        var final = history[^1].Revision;
        List<(long, string, int, string?)> Expected((Spec Spec, long From) start)
        {
            var range = new Mvcc.KeyRange(B(start.Spec.Key), B(start.Spec.End));
            return [.. history.Where(c => c.Revision >= start.From)
                .SelectMany(c => c.Events.Where(e => range.Contains(e.Kv.Key)))
                .Select(e => (e.Kv.ModRevision, e.Kv.Key.ToStringUtf8(), (int)e.Type, e.PrevKv?.Value.ToStringUtf8()))];
        }

        for (var s = 0; s < streams.Count; s++)
        {
            // Once every expected event has arrived, every watcher is synced, so a progress request is
            // answered, after anything queued before it: a fence that shows no extra events follow.
            await states[s].WaitForAsync(start => Expected(start).Count, specs.Length);
            await streams[s].RequestStream.WriteAsync(new WatchRequest { ProgressRequest = new WatchProgressRequest() }, ct);
        }

        await Task.WhenAll(readers);
        for (var s = 0; s < streams.Count; s++)
        {
            foreach (var (id, start) in states[s].Starts)
            {
                var expected = Expected(start);
                var actual = states[s].Responses.Where(r => r.WatchId == id).SelectMany(r => r.Events)
                    .Select(e => (e.Kv.ModRevision, e.Kv.Key.ToStringUtf8(), (int)e.Type, e.PrevKv?.Value.ToStringUtf8()))
                    .ToList();
                Assert.NotEmpty(expected);
                Assert.Equal(expected, actual);
            }

            var headers = states[s].Responses.Select(r => r.Header.Revision).ToList();
            Assert.Equal(headers.Order(), headers);                        // Never decreasing on a stream.
            Assert.Equal(final, headers[^1]);
        }

        foreach (var call in streams)
        {
            call.Dispose();
        }
    }

    private static ByteString B(string text) => ByteString.CopyFromUtf8(text);

    /// <summary>Reads one stream until its progress fence (watch id -1), recording where each watcher starts.</summary>
    private static async Task ReadUntilFenceAsync(
        AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, StreamState state, Spec[] specs, CancellationToken ct)
    {
        while (await call.ResponseStream.MoveNext(ct))
        {
            var response = call.ResponseStream.Current;
            if (response.WatchId == -1)
            {
                return;
            }

            state.Add(response, specs);
        }

        throw new InvalidOperationException("stream ended before its progress fence");
    }

    /// <summary>What one stream received, and a signal for "every watcher has its expected events".</summary>
    private sealed class StreamState
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<long, int> _counts = [];
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Func<(Spec, long), int>? _target;
        private int _creates;

        public Dictionary<long, (Spec Spec, long From)> Starts { get; } = [];

        public List<WatchResponse> Responses { get; } = [];

        public void Add(WatchResponse response, Spec[] specs)
        {
            lock (_gate)
            {
                if (response.Created)
                {
                    var spec = specs[Starts.Count];
                    Starts[response.WatchId] = (spec, spec.Start == 0 ? response.Header.Revision + 1 : spec.Start);
                    _counts[response.WatchId] = 0;
                }
                else
                {
                    Responses.Add(response);
                    _counts[response.WatchId] += response.Events.Count;
                }

                Check();
            }
        }

        public Task WaitForAsync(Func<(Spec, long), int> expected, int creates)
        {
            lock (_gate)
            {
                (_target, _creates) = (expected, creates);
                Check();
            }

            return _reached.Task;
        }

        private void Check()
        {
            if (_target is not null && Starts.Count == _creates && Starts.All(s => _counts[s.Key] >= _target(s.Value)))
            {
                _reached.TrySetResult();
            }
        }
    }
}

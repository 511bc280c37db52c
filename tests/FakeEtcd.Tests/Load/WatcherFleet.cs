using System.Collections.Concurrent;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace FakeEtcd.Tests.Load;

/// <summary>
/// Many watchers multiplexed on a few Watch streams, all from revision 1, each recording the events it
/// receives. Watcher <c>i</c> watches client <c>i % clients</c>'s prefix, except the last few, which
/// watch every key the load writes.
/// </summary>
internal sealed class WatcherFleet : IAsyncDisposable
{
    private readonly List<AsyncDuplexStreamingCall<WatchRequest, WatchResponse>> _streams = [];
    private readonly List<Task> _readers = [];
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;

    private WatcherFleet(IReadOnlyList<WatcherRecord> watchers) => Watchers = watchers;

    public IReadOnlyList<WatcherRecord> Watchers { get; }

    public static async Task<WatcherFleet> StartAsync(IReadOnlyList<CallInvoker> invokers, LoadProfile profile, CancellationToken cancellationToken)
    {
        var watchers = Enumerable.Range(0, profile.Watchers).Select(i => new WatcherRecord(
            i >= profile.Watchers - profile.WholeRangeWatchers ? LoadProfile.Root : LoadProfile.ClientPrefix(i % profile.Clients))).ToList();
        var fleet = new WatcherFleet(watchers);
        var perStream = (profile.Watchers + invokers.Count - 1) / invokers.Count;
        for (var s = 0; s < invokers.Count; s++)
        {
            var mine = watchers.Skip(s * perStream).Take(perStream).ToList();
            var call = new Etcdserverpb.Watch.WatchClient(invokers[s]).Watch(cancellationToken: fleet._stop.Token);
            fleet._streams.Add(call);
            foreach (var watcher in mine)
            {
                await call.RequestStream.WriteAsync(
                    new WatchRequest
                    {
                        CreateRequest = new WatchCreateRequest
                        {
                            Key = ByteString.CopyFromUtf8(watcher.Prefix),
                            RangeEnd = ByteString.CopyFromUtf8(PrefixEnd(watcher.Prefix)),
                            StartRevision = 1,
                        },
                    },
                    cancellationToken);
            }

            // etcd answers creates on a stream in order, so the n-th "created" belongs to the n-th request.
            var byId = new Dictionary<long, WatcherRecord>();
            foreach (var watcher in mine)
            {
                if (!await call.ResponseStream.MoveNext(cancellationToken) || !call.ResponseStream.Current.Created)
                {
                    throw new InvalidOperationException("expected a created response, got " + call.ResponseStream.Current);
                }

                byId.Add(call.ResponseStream.Current.WatchId, watcher);
            }

            fleet._readers.Add(Task.Run(() => fleet.ReadAsync(call, byId), CancellationToken.None));
        }

        return fleet;
    }

    /// <summary>Ends every stream and returns once the readers stopped; events after this are not recorded.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_readers);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException)
        {
            // Cancelled on purpose.
        }

        foreach (var stream in _streams)
        {
            stream.Dispose();
        }

        _stop.Dispose();
    }

    public static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    private async Task ReadAsync(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, Dictionary<long, WatcherRecord> byId)
    {
        try
        {
            while (await call.ResponseStream.MoveNext(_stop.Token))
            {
                var response = call.ResponseStream.Current;
                var watcher = byId[response.WatchId];
                if (response.Canceled || response.CompactRevision != 0)
                {
                    watcher.Fail($"watch {response.WatchId} canceled: '{response.CancelReason}', compact {response.CompactRevision}");
                    continue;
                }

                foreach (var e in response.Events)
                {
                    watcher.Events.Enqueue(SeenEvent.From(e));
                }
            }
        }
        catch (Exception e) when (_stop.IsCancellationRequested && e is RpcException or OperationCanceledException)
        {
            // The fleet was disposed.
        }
    }
}

/// <summary>What one watcher watches and what it received, in arrival order.</summary>
internal sealed class WatcherRecord(string prefix)
{
    public string Prefix { get; } = prefix;

    public ConcurrentQueue<SeenEvent> Events { get; } = new();

    public string? Failure { get; private set; }

    public void Fail(string why) => Failure ??= why;
}

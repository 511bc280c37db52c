using System.Globalization;
using dotnet_etcd;
using Google.Protobuf;

namespace FakeEtcd.Tests.Load;

/// <summary>Runs alone: its resource figures would otherwise include other tests.</summary>
[CollectionDefinition(nameof(LoadCollection), DisableParallelization = true)]
public sealed class LoadCollection;

/// <summary>
/// Load and soak: 64 concurrent dotnet-etcd clients (one HTTP/2 connection each) mix puts, txns,
/// lease churn and deletes against one in-process server while 1000 watchers on 4 streams watch from
/// revision 1. Afterwards every watcher's events must equal the committed history of its range (read
/// back by a fresh watch and checked against a Range of the final state): each revision once, in
/// order, none missing. Bounded by operation count; <c>FAKEETCD_SOAK_SCALE</c> scales it up, and
/// <c>FAKEETCD_LOAD_REPORT=path</c> appends the measured figures to a file.
/// </summary>
[Collection(nameof(LoadCollection))]
public sealed class LoadSoakTests
{
    private static readonly TimeSpan DeliveryLimit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task ConcurrentClientsAndAThousandWatchersLoseDuplicateAndReorderNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var profile = LoadProfile.FromEnvironment();
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: ct);
        var channels = Enumerable.Range(0, profile.Clients + profile.WatchStreams + 1).Select(_ => server.CreateChannel()).ToList();
        try
        {
            var clients = channels.Take(profile.Clients).Select(c => new EtcdClient(c.CreateCallInvoker())).ToList();
            var watchInvokers = channels.Skip(profile.Clients).Take(profile.WatchStreams).Select(c => c.CreateCallInvoker()).ToList();
            var verifier = channels[^1].CreateCallInvoker();

            await using var fleet = await WatcherFleet.StartAsync(watchInvokers, profile, ct);
            var sampler = new ResourceSampler();
            var started = TimeProvider.System.GetTimestamp();
            var calls = await Task.WhenAll(clients.Select((client, i) => Task.Run(() => LoadClient.RunAsync(client, i, profile.OpsPerClient, ct), ct)));
            var loadTime = TimeProvider.System.GetElapsedTime(started);

            var lastRevision = server.Revision;
            var history = await CommittedHistory.ReadAsync(verifier, lastRevision, ct);
            await WaitForDeliveryAsync(fleet, history);
            var deliveryTime = TimeProvider.System.GetElapsedTime(started);
            sampler.Dispose();

            // The history itself: one event per revision 2..last (every load request writes exactly one
            // key), and its replay is the final key space.
            Assert.Equal(Enumerable.Range(2, (int)lastRevision - 1).Select(r => (long)r), history.Select(e => e.Revision));
            var range = await new EtcdClient(verifier).GetAsync(
                new Etcdserverpb.RangeRequest { Key = ByteString.CopyFromUtf8(LoadProfile.Root), RangeEnd = ByteString.CopyFromUtf8(WatcherFleet.PrefixEnd(LoadProfile.Root)) },
                cancellationToken: ct);
            Assert.Equal(CommittedHistory.Replay(history), range.Kvs.ToDictionary(kv => kv.Key.ToStringUtf8(), kv => kv.Value.ToStringUtf8()));

            await fleet.DisposeAsync();
            foreach (var watcher in fleet.Watchers)
            {
                Assert.Null(watcher.Failure);
                Assert.Equal(Expected(history, watcher), watcher.Events.ToList());
            }

            var delivered = fleet.Watchers.Sum(w => (long)w.Events.Count);
            Report(profile, calls.Sum(), lastRevision, delivered, loadTime, deliveryTime, sampler);

            // Peaks (heap with garbage, pool threads, timer lag) depend on the machine's cores, cache
            // and GC budget, so they are reported, not asserted. What is asserted is what the code
            // guarantees: after a full collection the live heap is data, not a leak. It holds the store's
            // history (nothing is compacted) and this test's own copy of every delivered event, so it is
            // bounded per revision and per delivered event, whatever the machine.
            var retained = GC.GetTotalMemory(forceFullCollection: true);
            var limit = (lastRevision * 2048L) + (delivered * 256L) + (64L << 20);
            TestContext.Current.TestOutputHelper?.WriteLine($"live heap after a full collection: {retained / (1024.0 * 1024):F0} MiB (limit {limit / (1024.0 * 1024):F0} MiB)");
            Assert.True(retained < limit, $"{retained} bytes live after {lastRevision} revisions and {delivered} delivered events (limit {limit})");
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    private static List<SeenEvent> Expected(IReadOnlyList<SeenEvent> history, WatcherRecord watcher) =>
        [.. history.Where(e => e.Key.StartsWith(watcher.Prefix, StringComparison.Ordinal))];

    /// <summary>Waits (bounded, wall clock) until every watcher holds as many events as its range has.</summary>
    private static async Task WaitForDeliveryAsync(WatcherFleet fleet, IReadOnlyList<SeenEvent> history)
    {
        var expected = fleet.Watchers.Select(w => Expected(history, w).Count).ToList();
        var started = TimeProvider.System.GetTimestamp();
        while (fleet.Watchers.Select((w, i) => w.Events.Count < expected[i] && w.Failure is null).Any(behind => behind))
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < DeliveryLimit, "watch events were not all delivered");
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, TestContext.Current.CancellationToken);
        }
    }

    private static void Report(LoadProfile profile, int calls, long lastRevision, long delivered, TimeSpan load, TimeSpan total, ResourceSampler sampler)
    {
        var report = string.Create(
            CultureInfo.InvariantCulture,
            $"""
            load: {profile.Clients} clients x {profile.OpsPerClient} ops = {calls} RPCs, {lastRevision - 1} revisions, {profile.Watchers} watchers on {profile.WatchStreams} streams
            load time {load.TotalSeconds:F2} s ({calls / load.TotalSeconds:F0} RPC/s, {(lastRevision - 1) / load.TotalSeconds:F0} writes/s); all {delivered} watch events delivered after {total.TotalSeconds:F2} s ({delivered / total.TotalSeconds:F0} events/s)
            peak working set {sampler.PeakWorkingSetBytes / (1024.0 * 1024):F0} MiB, peak GC heap {sampler.PeakGcHeapBytes / (1024.0 * 1024):F0} MiB
            thread pool: peak {sampler.PeakThreadPoolThreads} threads, peak {sampler.PeakPendingWorkItems} queued work items, worst 50 ms timer lag {sampler.WorstTimerLag.TotalMilliseconds:F0} ms ({sampler.Samples} samples)

            """);
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        if (Environment.GetEnvironmentVariable("FAKEETCD_LOAD_REPORT") is { Length: > 0 } path)
        {
            File.AppendAllText(path, report);
        }
    }
}

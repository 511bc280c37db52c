using dotnet_etcd;
using FakeEtcd.Clock;

namespace FakeEtcd.Tests.Leases;

/// <summary>
/// <see cref="VirtualClock.QuietEndsWhenIdle"/>: a settle's quiet period ends once the thread pool is
/// seen idle, but only where that proves the clients are done: no socket client, no synchronization context.
/// </summary>
public sealed class QuietPeriodTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAdvanceWaitsForAClientThatHopsThroughThePoolBetweenCalls()
    {
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        using var client = new EtcdClient(server.CreateCallInvoker());
        var reacted = ReactToTimeAsync(client, server.Clock);

        await server.Clock.AdvanceAsync(TimeSpan.FromSeconds(10), Ct);
        var ticks = await client.GetRangeAsync("tick/", cancellationToken: Ct);

        // Both puts landed before the advance returned, though nothing tracked the gap between them.
        Assert.Equal(["tick/1", "tick/2"], ticks.Kvs.Select(kv => kv.Key.ToStringUtf8()));
        Assert.Equal(3, ticks.Header.Revision);
        await reacted;
    }

    [Fact]
    public async Task TheQuietEndsEarlyOnlyWithoutUncountedSocketClientsAndSynchronizationContexts()
    {
        await using var server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        var alone = server.Clock.CanEndQuietEarly(poolOnly: true);
        var underContext = server.Clock.CanEndQuietEarly(poolOnly: false);
        bool withCountedClient;
        using (var overUrl = new EtcdClient(server.ClientUrl.ToString()))
        {
            // A client of this process: its calls are counted, so its connection needs no quiet period.
            await overUrl.PutAsync("k", "v", cancellationToken: Ct);
            withCountedClient = server.Clock.CanEndQuietEarly(poolOnly: true);
        }

        // A connection whose client this process does not count (as from another process): plain
        // HTTP/2, no gRPC client events. Its answer shows the server has accepted the connection.
        using var foreign = new HttpClient(new SocketsHttpHandler());
        using var probe = new HttpRequestMessage(HttpMethod.Get, new Uri(server.ClientUrl, "/foreign"))
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var answered = await foreign.SendAsync(probe, Ct);
        var withForeignSocket = server.Clock.CanEndQuietEarly(poolOnly: true);
        server.Clock.QuietEndsWhenIdle = false;
        var switchedOff = server.Clock.CanEndQuietEarly(poolOnly: true);

        Assert.True(alone);
        Assert.False(underContext);
        Assert.True(withCountedClient);
        Assert.False(withForeignSocket);
        Assert.False(switchedOff);
    }

    [Fact]
    public async Task TheWindowEndsAfterThePoolStoodStillForItsWholeLength()
    {
        var time = new VirtualClock();
        var pool = new PoolSnapshot(Pending: 0, Completed: 10, Busy: 1); // One worker parked for good, as a test runner's.
        var window = new QuietWindow(TimeSpan.FromMicroseconds(250), time, () => pool, () => 1);

        var first = window.Observe(trackedQuiet: true);
        await time.AdvanceAsync(TimeSpan.FromMicroseconds(249), Ct);
        var before = window.Observe(trackedQuiet: true);
        await time.AdvanceAsync(TimeSpan.FromMicroseconds(1), Ct);
        var at = window.Observe(trackedQuiet: true);

        Assert.Equal((false, false, true), (first, before, at));
    }

    [Theory]
    [InlineData("completed", false)]
    [InlineData("queued", false)]
    [InlineData("worker started", false)]
    [InlineData("tracked call", false)]
    [InlineData("nothing", true)]
    public async Task AnythingThePoolDoesRestartsTheWindow(string happened, bool endsAfterWindow)
    {
        var time = new VirtualClock();
        var pool = new PoolSnapshot(Pending: 0, Completed: 10, Busy: 0);
        var window = new QuietWindow(TimeSpan.FromMicroseconds(250), time, () => pool, () => 1);
        window.Observe(trackedQuiet: true);
        await time.AdvanceAsync(TimeSpan.FromMicroseconds(200), Ct);

        pool = happened switch
        {
            "completed" => pool with { Completed = 11 },
            "queued" => pool with { Pending = 1 },
            "worker started" => pool with { Busy = 2 },
            _ => pool,
        };
        var tracked = happened != "tracked call";
        var during = window.Observe(tracked);
        pool = pool with { Pending = 0 };
        await time.AdvanceAsync(TimeSpan.FromMicroseconds(50), Ct);
        var afterWindow = window.Observe(trackedQuiet: true);

        Assert.False(during);
        Assert.Equal(endsAfterWindow, afterWindow);
    }

    [Fact]
    public async Task AWorkerBusyBeyondTheParkedOnesKeepsTheWindowShut()
    {
        var time = new VirtualClock();
        var pool = new PoolSnapshot(Pending: 0, Completed: 10, Busy: 2); // e.g. a continuation the JIT is compiling
        var window = new QuietWindow(TimeSpan.FromMicroseconds(250), time, () => pool, () => 1);

        window.Observe(trackedQuiet: true);
        await time.AdvanceAsync(TimeSpan.FromMilliseconds(5), Ct);
        var stillBusy = window.Observe(trackedQuiet: true);
        pool = pool with { Busy = 1, Completed = 11 };
        window.Observe(trackedQuiet: true);
        await time.AdvanceAsync(TimeSpan.FromMicroseconds(250), Ct);
        var doneAndStill = window.Observe(trackedQuiet: true);

        Assert.False(stillBusy);
        Assert.True(doneAndStill);
    }

    [Fact]
    public async Task AWorkerCountsAsParkedOnlyAfterBeingBusyInEverySampleForASecond()
    {
        var time = new VirtualClock();
        var parked = new ParkedWorkers(time);
        var estimates = new List<int>();
        for (var i = 0; i <= 100; i++)
        {
            parked.Sample(busy: i == 50 ? 2 : 1);
            estimates.Add(parked.Estimate());
            await time.AdvanceAsync(TimeSpan.FromMilliseconds(10), Ct);
        }

        parked.Sample(busy: 0);
        var afterAnIdleSample = parked.Estimate();

        Assert.All(estimates.Take(100), e => Assert.Equal(0, e)); // Under a second of samples: nothing is parked.
        Assert.Equal(1, estimates[100]);                           // 101 samples over 1 s, fewest busy: 1.
        Assert.Equal(0, afterAnIdleSample);
    }

    [Fact]
    public async Task SamplesCloserThanTenMillisecondsAreOneSample()
    {
        var time = new VirtualClock();
        var parked = new ParkedWorkers(time);
        for (var i = 0; i <= 100; i++)
        {
            parked.Sample(busy: 1);
            parked.Sample(busy: 0); // 0 ms after the one above: dropped
            await time.AdvanceAsync(TimeSpan.FromMilliseconds(10), Ct);
        }

        var estimate = parked.Estimate();

        Assert.Equal(1, estimate);
    }

    /// <summary>After 10 s of virtual time: a Put, three hops through the pool, another Put.</summary>
    private static async Task ReactToTimeAsync(EtcdClient client, VirtualClock clock)
    {
        await Task.Delay(TimeSpan.FromSeconds(10), clock, Ct).ConfigureAwait(false);
        await client.PutAsync("tick/1", "a", cancellationToken: Ct).ConfigureAwait(false);
        for (var hop = 0; hop < 3; hop++)
        {
            await Task.Yield();
        }

        await client.PutAsync("tick/2", "b", cancellationToken: Ct).ConfigureAwait(false);
    }
}

using Etcdserverpb;
using FakeEtcd;
using FakeEtcd.Simulation;
using Google.Protobuf;
using Grpc.Core;

namespace Election.Tests.Simulation;

/// <summary>A simulated FakeEtcd and raw etcd clients on named channels, for the kit's own tests.</summary>
public sealed class SimulatedEtcd : IAsyncDisposable
{
    private SimulatedEtcd(FakeEtcdServer server) => Server = server;

    public FakeEtcdServer Server { get; }

    public VirtualClock Clock => Server.Clock;

    public static async Task<SimulatedEtcd> StartAsync(int seed = 0) => new(await FakeEtcdServer.StartAsync(
        new FakeEtcdServerOptions { Simulation = new SimulationOptions { Seed = seed } }, TestContext.Current.CancellationToken));

    public static ByteString Key(string key) => ByteString.CopyFromUtf8(key);

    public KV.KVClient Kv(string client) => new(Server.CreateClient(client));

    public Lease.LeaseClient Leases(string client) => new(Server.CreateClient(client));

    public Watch.WatchClient Watches(string client) => new(Server.CreateClient(client));

    public CallInvoker Invoker(string client) => Server.CreateClient(client);

    public Task AdvanceAsync(TimeSpan by) => Clock.AdvanceAsync(by, TestContext.Current.CancellationToken);

    public Task<PutResponse> PutAsync(string client, string key, long lease = 0) =>
        Kv(client).PutAsync(new PutRequest { Key = Key(key), Value = Key("v"), Lease = lease }, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync;

    /// <summary>History lines without their sequence numbers, for exact comparisons of a slice.</summary>
    public IReadOnlyList<string> Lines(Func<FakeEtcd.Simulation.History.HistoryEntry, bool>? filter = null) =>
        [.. Server.History.Entries.Where(filter ?? (_ => true)).Select(e => e.ToString()[6..])];

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

using FakeEtcd.Tests.Differential;
using Grpc.Net.Client;

namespace FakeEtcd.Benchmarks.Targets;

/// <summary>A started target with one client channel configured the same way for every target.</summary>
internal sealed class TargetServer : IAsyncDisposable
{
    private readonly IAsyncDisposable _server;

    private TargetServer(IAsyncDisposable server, Uri url, FakeEtcdServer? fake)
    {
        _server = server;
        Url = url;
        Fake = fake;
        Channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions { MaxReceiveMessageSize = null });
        Kv = new Etcdserverpb.KV.KVClient(Channel);
        Lease = new Etcdserverpb.Lease.LeaseClient(Channel);
        Watch = new Etcdserverpb.Watch.WatchClient(Channel);
    }

    public Uri Url { get; }

    /// <summary>The in-process server when the target is FakeEtcd.</summary>
    public FakeEtcdServer? Fake { get; }

    public GrpcChannel Channel { get; }

    public Etcdserverpb.KV.KVClient Kv { get; }

    public Etcdserverpb.Lease.LeaseClient Lease { get; }

    public Etcdserverpb.Watch.WatchClient Watch { get; }

    public static async Task<TargetServer> StartAsync(Target target)
    {
        switch (target)
        {
            case Target.FakeEtcd:
                var fake = await FakeEtcdServer.StartAsync();
                return new TargetServer(fake, fake.ClientUrl, fake);
            case Target.Etcd:
                var etcd = await RealEtcd.StartAsync(new DiffOptions(FastEtcdElection: true));
                return new TargetServer(etcd, etcd.ClientUrl, null);
            default:
                var floor = await FloorServer.StartAsync();
                return new TargetServer(floor, floor.Url, null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _server.DisposeAsync();
    }
}

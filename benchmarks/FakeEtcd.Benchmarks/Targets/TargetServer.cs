using FakeEtcd.TestSupport;
using Grpc.Net.Client;

namespace FakeEtcd.Benchmarks.Targets;

/// <summary>A started target with one client channel configured the same way for every target.</summary>
internal sealed class TargetServer : IAsyncDisposable
{
    private readonly IAsyncDisposable _server;

    private readonly Func<GrpcChannel> _open;

    private TargetServer(IAsyncDisposable server, Uri url, FakeEtcdServer? fake, Func<GrpcChannel>? open = null)
    {
        _server = server;
        Url = url;
        Fake = fake;
        _open = open ?? (() => GrpcChannel.ForAddress(url, new GrpcChannelOptions { MaxReceiveMessageSize = null }));
        Channel = OpenChannel();
        Kv = new Etcdserverpb.KV.KVClient(Channel);
        Lease = new Etcdserverpb.Lease.LeaseClient(Channel);
        Watch = new Etcdserverpb.Watch.WatchClient(Channel);
    }

    public Uri Url { get; }

    /// <summary>Real etcd's log tail (null for the other targets): what a failed run prints, e.g. why etcd went away.</summary>
    public string? Diagnostics => (_server as IEtcdEndpoint)?.Diagnostics;

    /// <summary>
    /// Wraps a failure of <paramref name="action"/> with <see cref="Diagnostics"/>, so a benchmark that
    /// loses real etcd mid-run says why instead of only "connection refused".
    /// </summary>
    public async Task<T> ExplainFailuresAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (Diagnostics is { } log)
        {
            throw new InvalidOperationException($"a call to etcd at {Url} failed: {e.Message}\netcd's log tail:\n{log}", e);
        }
    }

    /// <summary>The server's own process id when it runs in one (FakeEtcdProcess, Etcd, EtcdDisk), else null.</summary>
    public int? ServerPid => _server switch
    {
        StandaloneProcess standalone => standalone.Pid,
        RealEtcd etcd => etcd.Pid,
        _ => null,
    };

    /// <summary>The in-process server when the target is FakeEtcd.</summary>
    public FakeEtcdServer? Fake { get; }

    /// <summary>The benchmark's shared channel (from <see cref="OpenChannel"/>).</summary>
    public GrpcChannel Channel { get; }

    /// <summary>A new connection to the target, the way the target's clients connect; the caller disposes it.</summary>
    public GrpcChannel OpenChannel() => _open();

    public Etcdserverpb.KV.KVClient Kv { get; }

    public Etcdserverpb.Lease.LeaseClient Lease { get; }

    public Etcdserverpb.Watch.WatchClient Watch { get; }

    public static async Task<TargetServer> StartAsync(Target target)
    {
        switch (target)
        {
            case Target.FakeEtcd:
                var fake = await FakeEtcdServer.StartAsync();
                return new TargetServer(fake, fake.ClientUrl, fake, fake.CreateInMemoryChannel);
            case Target.FakeEtcdTcp:
                var fakeTcp = await FakeEtcdServer.StartAsync();
                return new TargetServer(fakeTcp, fakeTcp.ClientUrl, fakeTcp);
            case Target.FakeEtcdProcess:
                var standalone = await StandaloneProcess.StartAsync("--listen-client-urls", "http://127.0.0.1:0");
                return new TargetServer(standalone, standalone.ClientUrl, null);
            case Target.Etcd or Target.EtcdDisk:
                var etcd = await RealEtcd.StartAsync(new DiffOptions(FastEtcdElection: true, EtcdDataOnDisk: target == Target.EtcdDisk));
                return new TargetServer(etcd, etcd.ClientUrl, null);
            default:
                var floor = await FloorServer.StartAsync();
                return new TargetServer(floor, floor.Url, null, target == Target.FloorInMemory ? floor.CreateInMemoryChannel : null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _server.DisposeAsync();
    }
}

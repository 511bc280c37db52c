using EtcdProtocol.Etcdserverpb;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Election.Etcd;

/// <summary>The etcd v3 services the recipes use, all on one caller-supplied <see cref="CallInvoker"/>.</summary>
internal sealed class EtcdApi
{
    public EtcdApi(CallInvoker invoker)
    {
        var translated = invoker.Intercept(CancellationInterceptor.Instance);
        Kv = new KV.KVClient(translated);
        Lease = new Lease.LeaseClient(translated);
        Watch = new Watch.WatchClient(translated);
    }

    public KV.KVClient Kv { get; }

    public Lease.LeaseClient Lease { get; }

    public Watch.WatchClient Watch { get; }
}

using Etcdserverpb;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace FakeEtcd.Tests.Differential;

/// <summary>dotnet-etcd's generated gRPC clients for one endpoint, over one channel.</summary>
public sealed class EtcdClients : IDisposable
{
    private readonly GrpcChannel _channel;

    public EtcdClients(IEtcdEndpoint endpoint, CancellationToken callToken)
    {
        Endpoint = endpoint;
        _channel = GrpcChannel.ForAddress(endpoint.ClientUrl);
        var invoker = _channel.Intercept(new CallTokenInterceptor(callToken));
        Kv = new KV.KVClient(invoker);
        Lease = new Lease.LeaseClient(invoker);
        Watch = new Etcdserverpb.Watch.WatchClient(invoker);
        Maintenance = new Maintenance.MaintenanceClient(invoker);
        Cluster = new Etcdserverpb.Cluster.ClusterClient(invoker);
        Auth = new Auth.AuthClient(invoker);
        Election = new V3Electionpb.Election.ElectionClient(invoker);
        Lock = new V3Lockpb.Lock.LockClient(invoker);
    }

    public IEtcdEndpoint Endpoint { get; }

    public KV.KVClient Kv { get; }

    public Lease.LeaseClient Lease { get; }

    public Etcdserverpb.Watch.WatchClient Watch { get; }

    public Maintenance.MaintenanceClient Maintenance { get; }

    public Etcdserverpb.Cluster.ClusterClient Cluster { get; }

    public Auth.AuthClient Auth { get; }

    public V3Electionpb.Election.ElectionClient Election { get; }

    public V3Lockpb.Lock.LockClient Lock { get; }

    public void Dispose() => _channel.Dispose();
}

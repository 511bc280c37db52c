using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;

namespace Election.Hosting;

/// <summary>The default channel to etcd: plain for one endpoint, pick-first over all of several, so calls fail over to the next member.</summary>
internal static class EtcdChannel
{
    public static GrpcChannel Create(IReadOnlyList<Uri> endpoints)
    {
        if (endpoints.Count == 1)
        {
            return GrpcChannel.ForAddress(endpoints[0]);
        }

        var addresses = endpoints.Select(e => new BalancerAddress(e.Host, e.Port)).ToList();
        return GrpcChannel.ForAddress("static:///etcd", new GrpcChannelOptions
        {
            Credentials = Grpc.Core.ChannelCredentials.Insecure,
            ServiceProvider = new ResolverServices(new StaticResolverFactory(_ => addresses)),
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new PickFirstConfig() } },
        });
    }

    /// <summary>The resolvers a channel asks its provider for (everything else defaults).</summary>
    private sealed class ResolverServices(ResolverFactory resolver) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IEnumerable<ResolverFactory>) ? new[] { resolver } : null;
    }
}

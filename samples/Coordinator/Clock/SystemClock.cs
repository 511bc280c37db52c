using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;

namespace Coordinator.Clock;

/// <summary>The wall clock, against any etcd (real etcd included): one gRPC channel over the endpoints.</summary>
internal static class SystemClock
{
    public static Task<EtcdConnection> ConnectAsync(IReadOnlyList<Uri> endpoints, CancellationToken cancellationToken)
    {
        var channel = CreateChannel(endpoints);

        // The program picks the wall clock here; everything below takes it as a TimeProvider.
        return Task.FromResult(new EtcdConnection(TimeProvider.System, channel.CreateCallInvoker(), new ChannelLifetime(channel)));
    }

    /// <summary>One endpoint: a plain channel. Several: pick_first over all, so calls fail over to the next member.</summary>
    private static GrpcChannel CreateChannel(IReadOnlyList<Uri> endpoints)
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

    /// <summary>The resolvers a channel asks its provider for (everything else defaults); saves a dependency-injection container.</summary>
    private sealed class ResolverServices(ResolverFactory resolver) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IEnumerable<ResolverFactory>) ? new[] { resolver } : null;
    }

    private sealed class ChannelLifetime(GrpcChannel channel) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            channel.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

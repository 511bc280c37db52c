using Grpc.Core;
using Grpc.Net.Client;

namespace Election.Tests.Support;

/// <summary>One real etcd (3.4+ from PATH) per test class; tests isolate themselves by key prefix.</summary>
public sealed class RealEtcdFixture : IAsyncLifetime
{
    private IEtcdEndpoint? _etcd;
    private GrpcChannel? _channel;
    private int _next;

    public Uri ClientUrl => Etcd.ClientUrl;

    public CallInvoker Invoker => Etcd is not null ? _channel!.CreateCallInvoker() : throw new InvalidOperationException();

    /// <summary>The running etcd; skips the test (fails it under CI=true) when there is no etcd on PATH.</summary>
    private IEtcdEndpoint Etcd
    {
        get
        {
            EtcdSkipRule.RequireOrSkip();
            return _etcd!;
        }
    }

    /// <summary>A fresh channel, for a candidate that must be crashable on its own.</summary>
    public GrpcChannel NewChannel() => GrpcChannel.ForAddress(ClientUrl);

    /// <summary>A key prefix no other test uses.</summary>
    public string UniqueRoot(string name) => $"t{Interlocked.Increment(ref _next)}-{name}";

    public async ValueTask InitializeAsync()
    {
        if (EtcdBinary.Path is null)
        {
            return; // Each test applies the skip rule when it asks for the endpoint.
        }

        // The default 1 s election timeout keeps etcd's minimum lease TTL at 2 s, the TTLs these tests use.
        _etcd = await RealEtcd.StartAsync(new DiffOptions(), TestContext.Current.CancellationToken);
        _channel = GrpcChannel.ForAddress(_etcd.ClientUrl);
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }
    }
}

using FakeEtcd;
using Grpc.Core;

namespace Election.Tests.Support;

/// <summary>One FakeEtcd on the system clock per test class, for tests that mix in etcdctl (real time).</summary>
public sealed class FakeEtcdFixture : IAsyncLifetime
{
    private FakeEtcdServer? _server;
    private int _next;

    public Uri ClientUrl => Server.ClientUrl;

    public CallInvoker Invoker => Server.CreateCallInvoker();

    private FakeEtcdServer Server => _server ?? throw new InvalidOperationException("not started");

    public string UniqueRoot(string name) => $"t{Interlocked.Increment(ref _next)}-{name}";

    public async ValueTask InitializeAsync() =>
        _server = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { TimeProvider = TimeProvider.System });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

using dotnet_etcd;

namespace FakeEtcd.Tests.Support;

/// <summary>
/// A fresh in-process server per test and a dotnet-etcd client: by default on the server's
/// settle-counted call invoker; subclasses that test the connection-string client override <see cref="CreateClient"/>.
/// </summary>
public abstract class InProcessClientTest : IAsyncLifetime
{
    protected FakeEtcdServer Server { get; private set; } = null!;

    protected EtcdClient Client { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        Client = CreateClient(Server);
    }

    protected virtual EtcdClient CreateClient(FakeEtcdServer server) => new(server.CreateCallInvoker());

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

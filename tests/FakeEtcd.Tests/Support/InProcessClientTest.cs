using dotnet_etcd;

namespace FakeEtcd.Tests.Support;

/// <summary>A fresh in-process server per test and a dotnet-etcd client on its settle-counted call invoker.</summary>
public abstract class InProcessClientTest : IAsyncLifetime
{
    protected FakeEtcdServer Server { get; private set; } = null!;

    protected EtcdClient Client { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Server = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        Client = new EtcdClient(Server.CreateCallInvoker());
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

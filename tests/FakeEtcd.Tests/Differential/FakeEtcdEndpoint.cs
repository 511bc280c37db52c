namespace FakeEtcd.Tests.Differential;

/// <summary>An in-process <see cref="FakeEtcdServer"/> as the candidate side of a differential test.</summary>
public sealed class FakeEtcdEndpoint : IEtcdEndpoint
{
    private readonly FakeEtcdServer _server;

    private FakeEtcdEndpoint(FakeEtcdServer server) => _server = server;

    /// <inheritdoc />
    public string Name => "FakeEtcd";

    /// <inheritdoc />
    public Uri ClientUrl => _server.ClientUrl;

    /// <inheritdoc />
    public string Diagnostics => string.Empty;

    public static async Task<IEtcdEndpoint> StartAsync(CancellationToken cancellationToken = default)
        => new FakeEtcdEndpoint(await FakeEtcdServer.StartAsync(cancellationToken: cancellationToken));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

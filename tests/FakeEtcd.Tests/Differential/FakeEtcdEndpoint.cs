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

    /// <summary>Starts an in-process server with <see cref="DiffTargets.Profile"/>; FakeMemberId and FakeOnSystemClock apply to it.</summary>
    public static async Task<IEtcdEndpoint> StartAsync(DiffOptions options, CancellationToken cancellationToken = default)
    {
        var server = new FakeEtcdServerOptions
        {
            MemberId = options.FakeMemberId,
            TimeProvider = options.FakeOnSystemClock ? TimeProvider.System : null,
            Compatibility = DiffTargets.Profile,
            QuotaBackendBytes = options.QuotaBackendBytes ?? 0,
        };
        if (options.SameMember)
        {
            server.Name = DiffOptions.MemberName;
            server.AdvertiseClientUrls.Add(new Uri(DiffOptions.SameMemberClientUrl));
            server.AdvertisePeerUrls[0] = new Uri(DiffOptions.SameMemberPeerUrl);
        }

        return new FakeEtcdEndpoint(await FakeEtcdServer.StartAsync(server, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

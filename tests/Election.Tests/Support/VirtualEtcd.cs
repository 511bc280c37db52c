using System.Security.Cryptography.X509Certificates;
using dotnet_etcd;
using FakeEtcd;
using Grpc.Core;

namespace Election.Tests.Support;

/// <summary>
/// A FakeEtcd on a virtual clock that the sessions share: the test moves time with
/// <see cref="AdvanceAsync"/>, which settles the server and the calls on <see cref="Invoker"/>.
/// </summary>
public sealed class VirtualEtcd : IAsyncDisposable
{
    private VirtualEtcd(FakeEtcdServer server)
    {
        Server = server;
        Invoker = server.CreateCallInvoker();
        Operator = new EtcdClient(server.CreateCallInvoker());
    }

    public FakeEtcdServer Server { get; }

    public VirtualClock Clock => Server.Clock;

    public CallInvoker Invoker { get; }

    /// <summary>An independent client for what an operator or another tool does (dotnet-etcd).</summary>
    public EtcdClient Operator { get; }

    /// <summary>Virtual time since start.</summary>
    public TimeSpan Now => Clock.Elapsed;

    /// <summary>
    /// Wall time each settle waits after the last counted activity: the clock's default (1 ms), or
    /// ELECTION_QUIET_MS. Stream messages are counted both ways now; the quiet time covers the
    /// library's thread-pool continuations between reading a message and starting its next call.
    /// </summary>
    public static TimeSpan? QuietPeriod { get; } =
        double.TryParse(Environment.GetEnvironmentVariable("ELECTION_QUIET_MS"), System.Globalization.CultureInfo.InvariantCulture, out var ms)
            ? TimeSpan.FromMilliseconds(ms)
            : null;

    /// <summary>Starts a server over plain TCP, or over TLS with <paramref name="certificate"/>.</summary>
    public static async Task<VirtualEtcd> StartAsync(X509Certificate2? certificate = null)
    {
        var options = new FakeEtcdServerOptions();
        if (certificate is not null)
        {
            options.ServerCertificate = certificate;
            options.ListenClientUrls.Clear();
            options.ListenClientUrls.Add(new Uri("https://127.0.0.1:0"));
        }

        var server = await FakeEtcdServer.StartAsync(options, TestContext.Current.CancellationToken);
        server.Clock.QuietPeriod = QuietPeriod ?? server.Clock.QuietPeriod;
        return new VirtualEtcd(server);
    }

    public Task AdvanceAsync(TimeSpan by) => Clock.AdvanceAsync(by, TestContext.Current.CancellationToken);

    /// <summary>Advances to <paramref name="elapsed"/> since the clock's start.</summary>
    public Task AdvanceToAsync(TimeSpan elapsed) => Clock.AdvanceToAsync(VirtualClock.DefaultStart + elapsed, TestContext.Current.CancellationToken);

    public Task SettleAsync() => Clock.AdvanceAsync(TimeSpan.Zero, TestContext.Current.CancellationToken);

    public Task<Candidate> StartCandidateAsync(string name, TimeSpan ttl, bool process = true, Action<SessionOptions>? configure = null) =>
        Candidate.StartAsync(Invoker, "by-dev/meta", name, ttl, Clock, process, configure);

    public async ValueTask DisposeAsync()
    {
        Operator.Dispose();
        await Server.DisposeAsync();
    }
}

using Election.Tests.Support;
using FakeEtcd;
using Grpc.Core;
using Grpc.Net.Client;

namespace Election.Tests.Virtual;

/// <summary>
/// Issue 15: coordinators that connect the way production code does — a channel built from the
/// server's URL over TCP or TLS, an in-memory channel, or the fixture's own invoker — all see exact
/// virtual time. The active's channel dies at 30 s (its last keepalive reached the server at 20 s),
/// and right after the advance to 1 ms before its lease ends the standby is still standby, right
/// after the advance onto it, active.
/// </summary>
public sealed class UrlClientFailoverTests : IDisposable
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan LastKeepAlive = TimeSpan.FromSeconds(20);

    private readonly TestCertificates _pki = TestCertificates.Create();

    /// <summary>Repeats: 100 in a row by default, so every CI run makes the check; <c>URL_FAILOVER_RUNS=1000</c> for the full one.</summary>
    public static TheoryData<string, int> Runs => Kinds(int.TryParse(Environment.GetEnvironmentVariable("URL_FAILOVER_RUNS"), out var n) ? n : 100);

    public void Dispose() => _pki.Dispose();

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task Standby_on_a_url_channel_becomes_active_exactly_at_the_lease_end(string kind, int run)
    {
        _ = run;
        await using var etcd = await VirtualEtcd.StartAsync(kind == "tls" ? _pki.Server : null);
        using var aChannel = Channel(etcd.Server, kind);
        using var bChannel = Channel(etcd.Server, kind);
        await using var a = await Candidate.StartAsync(Invoker(etcd.Server, aChannel), "by-dev/meta", "rootcoord", Ttl, etcd.Clock);
        await etcd.SettleAsync();
        await using var b = await Candidate.StartAsync(Invoker(etcd.Server, bChannel), "by-dev/meta", "rootcoord", Ttl, etcd.Clock);
        await etcd.SettleAsync();
        Assert.Equal((SessionState.Active, SessionState.Standby), (a.Session.State, b.Session.State));

        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(30));
        await a.CrashAsync();

        await etcd.AdvanceToAsync(LastKeepAlive + Ttl - Tick);
        Assert.Equal(SessionState.Standby, b.Session.State);
        await etcd.AdvanceAsync(Tick);
        Assert.Equal(SessionState.Active, b.Session.State);
        Assert.Equal(LastKeepAlive + Ttl, await b.Activated - VirtualClock.DefaultStart);
    }

    private static TheoryData<string, int> Kinds(int runs)
    {
        var data = new TheoryData<string, int>();
        foreach (var kind in new[] { "tcp", "tls", "in-memory", "fixture" })
        {
            for (var run = 1; run <= runs; run++)
            {
                data.Add(kind, run);
            }
        }

        return data;
    }

    /// <summary>The fixture kind has no channel: its invoker is the server's own.</summary>
    private GrpcChannel? Channel(FakeEtcdServer server, string kind) => kind switch
    {
        "tcp" => GrpcChannel.ForAddress(server.ClientUrl),
        "tls" => GrpcChannel.ForAddress(server.ClientUrl, new GrpcChannelOptions { HttpHandler = _pki.Handler() }),
        "in-memory" => server.CreateInMemoryChannel(),
        _ => null,
    };

    private static CallInvoker Invoker(FakeEtcdServer server, GrpcChannel? channel) => channel?.CreateCallInvoker() ?? server.CreateCallInvoker();
}

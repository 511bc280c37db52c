using dotnet_etcd;
using Grpc.Net.Client;

namespace FakeEtcd.Tests.Clock;

/// <summary>
/// Issue 15: clients built the way production code builds them — from the server's URL over TCP or
/// TLS, a dotnet-etcd client from a connection string, an in-memory channel — are counted by the
/// settle without any change to how they are made: a watch that such a client starts (connecting,
/// over TLS, through dotnet-etcd's balancer) has been created on the server when the next settle
/// returns, so a Put right after it is never missed, and each Put's event has been read by the client's
/// watch loop when the settle after it returns. Reactions that start calls are covered by the
/// election library's URL failover tests.
/// </summary>
public sealed class UrlClientSettleTests : IDisposable
{
    private readonly TestCertificates _pki = TestCertificates.Create();

    /// <summary>Each kind 100 times in a row by default (the check, so every CI run makes it); <c>URL_SETTLE_RUNS</c> overrides.</summary>
    public static TheoryData<string, int> Runs
    {
        get
        {
            var runs = int.TryParse(Environment.GetEnvironmentVariable("URL_SETTLE_RUNS"), out var n) ? n : 100;
            var data = new TheoryData<string, int>();
            foreach (var kind in new[] { "tcp", "tls", "dotnet-etcd-url", "in-memory", "fixture" })
            {
                for (var run = 1; run <= runs; run++)
                {
                    data.Add(kind, run);
                }
            }

            return data;
        }
    }

    public void Dispose() => _pki.Dispose();

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task A_watch_started_before_a_settle_sees_every_put_after_it(string kind, int run)
    {
        _ = run;
        var ct = TestContext.Current.CancellationToken;
        var options = new FakeEtcdServerOptions();
        if (kind == "tls")
        {
            options.ServerCertificate = _pki.Server;
            options.ListenClientUrls.Clear();
            options.ListenClientUrls.Add(new Uri("https://127.0.0.1:0"));
        }

        await using var server = await FakeEtcdServer.StartAsync(options, ct);
        using var channel = kind switch
        {
            "tcp" => GrpcChannel.ForAddress(server.ClientUrl),
            "tls" => GrpcChannel.ForAddress(server.ClientUrl, new GrpcChannelOptions { HttpHandler = _pki.Handler() }),
            "in-memory" => server.CreateInMemoryChannel(),
            _ => null,
        };
        using var client = kind switch
        {
            "fixture" => new EtcdClient(server.CreateCallInvoker()),
            "dotnet-etcd-url" => new EtcdClient(server.ClientUrl.ToString()),
            _ => new EtcdClient(channel!.CreateCallInvoker()),
        };
        using var op = new EtcdClient(server.CreateCallInvoker());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var seen = new List<long>();
        var watching = client.WatchAsync(
            "ping",
            response =>
            {
                lock (seen)
                {
                    seen.AddRange(response.Events.Select(e => e.Kv.ModRevision));
                }
            },
            cancellationToken: stop.Token);
        await server.Clock.AdvanceAsync(TimeSpan.Zero, ct);

        await op.PutAsync("ping", "1", cancellationToken: ct);                 // 2
        await op.PutAsync("ping", "2", cancellationToken: ct);                 // 3
        await server.Clock.AdvanceAsync(TimeSpan.Zero, ct);

        lock (seen)
        {
            Assert.Equal([2L, 3L], seen);
        }

        await stop.CancelAsync();
        await watching.ContinueWith(_ => { }, TaskScheduler.Default); // Ends canceled; only the counts above matter.
    }
}

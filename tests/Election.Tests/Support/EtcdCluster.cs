using System.Diagnostics;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Election.Tests.Support;

/// <summary>
/// A real 3-member etcd cluster on loopback (free ports, data dirs on tmpfs when there is one),
/// started by the test and killed on dispose. Members can be SIGKILLed one by one; clients reach the
/// cluster through a channel that balances over every member's client URL, so they survive one dying.
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(500);
    private const int StartAttempts = 3;

    private readonly List<Member> _members;
    private readonly string _dataRoot;

    private EtcdCluster(List<Member> members, string dataRoot)
    {
        _members = members;
        _dataRoot = dataRoot;
    }

    public int Size => _members.Count;

    public IReadOnlyList<Uri> ClientUrls => [.. _members.Select(m => m.ClientUrl)];

    /// <summary>Each member's recent log lines, for failure messages.</summary>
    public string Diagnostics => string.Join("\n", _members.Select(m => $"--- {m.Name}:\n{m.Stderr}"));

    /// <summary>Starts three members and returns once one of them is the elected leader.</summary>
    public static async Task<EtcdCluster> StartAsync(CancellationToken cancellationToken)
    {
        var binary = EtcdSkipRule.RequireOrSkip();
        for (var attempt = 1; ; attempt++)
        {
            var cluster = Launch(binary);
            try
            {
                await cluster.LeaderIndexAsync(ReadyTimeout, cancellationToken);
                return cluster;
            }
            catch (Exception) when (attempt < StartAttempts && cluster.Diagnostics.Contains("address already in use", StringComparison.Ordinal))
            {
                // Another process took a port between FreePort.Next and etcd's bind: new ports.
                await cluster.DisposeAsync();
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>
    /// A channel that round-robins over every member's client URL: calls go to members that are up,
    /// and streams on a member that dies fail with Unavailable, for the client to retry. Like
    /// clientv3's retry interceptor, calls that fail Unavailable before any answer (a member that was
    /// just killed refuses the connection) are retried, on the next member.
    /// </summary>
    public GrpcChannel CreateChannel()
    {
        var addresses = _members.Select(m => new BalancerAddress(m.ClientUrl.Host, m.ClientUrl.Port)).ToList();
        var services = new ServiceCollection();
        services.AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => addresses));
        return GrpcChannel.ForAddress("static:///etcd-cluster", new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Insecure,
            ServiceProvider = services.BuildServiceProvider(),
            ServiceConfig = new ServiceConfig
            {
                LoadBalancingConfigs = { new RoundRobinConfig() },
                MethodConfigs =
                {
                    new MethodConfig
                    {
                        Names = { MethodName.Default },
                        RetryPolicy = new RetryPolicy
                        {
                            MaxAttempts = 5,
                            InitialBackoff = TimeSpan.FromMilliseconds(200),
                            MaxBackoff = TimeSpan.FromSeconds(1),
                            BackoffMultiplier = 2,
                            RetryableStatusCodes = { StatusCode.Unavailable },
                        },
                    },
                },
            },
        });
    }

    /// <summary>The index of the member that is the raft leader, as the living members report it.</summary>
    public Task<int> LeaderIndexAsync(CancellationToken cancellationToken) => LeaderIndexAsync(ReadyTimeout, cancellationToken);

    /// <summary>SIGKILLs member <paramref name="index"/> (no graceful leader transfer).</summary>
    public async Task KillAsync(int index)
    {
        var member = _members[index];
        member.Killed = true;
        member.Process.Kill(entireProcessTree: true);
        await member.Process.WaitForExitAsync();
    }

    public bool IsAlive(int index) => !_members[index].Process.HasExited;

    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members)
        {
            try
            {
                if (!member.Process.HasExited)
                {
                    member.Process.Kill(entireProcessTree: true);
                }

                await member.Process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            finally
            {
                member.Process.Dispose();
            }
        }

        try
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp dir must not fail the test.
        }
    }

    private static EtcdCluster Launch(string binary)
    {
        var tmpfs = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        var dataRoot = Directory.CreateDirectory(Path.Combine(tmpfs, "fakeetcd-cluster-" + Guid.NewGuid().ToString("N"))).FullName;
        var names = new[] { "m0", "m1", "m2" };
        var clientUrls = names.Select(_ => new Uri($"http://127.0.0.1:{FreePort.Next()}")).ToList();
        var peerUrls = names.Select(_ => $"http://127.0.0.1:{FreePort.Next()}").ToList();
        var initialCluster = string.Join(',', names.Select((n, i) => $"{n}={peerUrls[i]}"));
        var token = "fakeetcd-" + Path.GetFileName(dataRoot);
        var members = new List<Member>();
        for (var i = 0; i < names.Length; i++)
        {
            var client = clientUrls[i].GetLeftPart(UriPartial.Authority);
            var (process, stderr) = RealEtcd.StartProcess(binary, [
                "--name", names[i],
                "--data-dir", Path.Combine(dataRoot, names[i]),
                "--listen-client-urls", client,
                "--advertise-client-urls", client,
                "--listen-peer-urls", peerUrls[i],
                "--initial-advertise-peer-urls", peerUrls[i],
                "--initial-cluster", initialCluster,
                "--initial-cluster-state", "new",
                "--initial-cluster-token", token,
                "--logger", "zap",
                "--log-outputs", "stderr"]);
            members.Add(new Member(names[i], clientUrls[i], process, stderr));
        }

        return new EtcdCluster(members, dataRoot);
    }

    private async Task<int> LeaderIndexAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        while (true)
        {
            if (_members.FirstOrDefault(m => m.Process.HasExited && !m.Killed) is { } dead)
            {
                throw new InvalidOperationException($"etcd member {dead.Name} exited with code {dead.Process.ExitCode}.\n{Diagnostics}");
            }

            // Every living member must name the same leader, and the leader must be one of them.
            var leaders = new HashSet<ulong>();
            var ids = new Dictionary<ulong, int>();
            for (var i = 0; i < _members.Count; i++)
            {
                if (_members[i].Process.HasExited)
                {
                    continue;
                }

                var status = await StatusAsync(_members[i], cancellationToken);
                leaders.Add(status?.Leader ?? 0);
                if (status is not null)
                {
                    ids[status.Header.MemberId] = i;
                }
            }

            if (leaders.Count == 1 && leaders.Single() is var leader and not 0 && ids.TryGetValue(leader, out var index))
            {
                return index;
            }

            if (clock.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"the etcd cluster elected no leader within {limit}.\n{Diagnostics}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), clock, cancellationToken);
        }
    }

    private static async Task<StatusResponse?> StatusAsync(Member member, CancellationToken cancellationToken)
    {
        // A fresh channel and a short timeout per attempt: etcd accepts connections before it serves them.
        using var channel = GrpcChannel.ForAddress(member.ClientUrl);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(AttemptTimeout);
        try
        {
            return await new Maintenance.MaintenanceClient(channel).StatusAsync(new StatusRequest(), cancellationToken: attempt.Token);
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private sealed record Member(string Name, Uri ClientUrl, Process Process, StderrTail Stderr)
    {
        public bool Killed { get; set; }
    }
}

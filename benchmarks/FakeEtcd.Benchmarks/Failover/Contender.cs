using System.Diagnostics;
using Election;
using FakeEtcd.Benchmarks.Targets;
using FakeEtcd.TestSupport;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace FakeEtcd.Benchmarks.Failover;

/// <summary>
/// One coordinator process: an <see cref="ActiveStandbySession"/> on its own connection, running
/// <c>ProcessActiveStandbyAsync</c>, with the wall-clock timestamp at which its activation callback was entered.
/// </summary>
internal sealed class Contender : IAsyncDisposable
{
    private readonly TaskCompletionSource<long> _activated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly GrpcChannel? _channel;

    private Contender(ActiveStandbySession session, CrashableInvoker crash, StandbyProbe probe, GrpcChannel? channel)
    {
        Session = session;
        Crash = crash;
        Probe = probe;
        _channel = channel;
    }

    public ActiveStandbySession Session { get; }

    /// <summary>Kills the process's connection: no keepalive and no revoke reach etcd any more.</summary>
    public CrashableInvoker Crash { get; }

    /// <summary>Completes when the server has created this standby's watch on the ACTIVE key.</summary>
    public StandbyProbe Probe { get; }

    /// <summary>The <see cref="Stopwatch"/> timestamp at which the activation callback was entered.</summary>
    public Task<long> Activated => _activated.Task;

    public Task Processing { get; private set; } = Task.CompletedTask;

    /// <summary>Registers on a fresh connection to <paramref name="server"/>, as a separate process would.</summary>
    public static Task<Contender> StartAsync(TargetServer server, TimeSpan ttl, TimeProvider time)
    {
        var channel = server.OpenChannel();
        return StartAsync(channel.CreateCallInvoker(), ttl, time, channel);
    }

    /// <summary>Registers on <paramref name="invoker"/> (e.g. a FakeEtcd fixture channel, counted by its settles).</summary>
    public static async Task<Contender> StartAsync(CallInvoker invoker, TimeSpan ttl, TimeProvider time, GrpcChannel? owned = null)
    {
        var crash = new CrashableInvoker(invoker);
        var probe = new StandbyProbe();
        var options = new SessionOptions { MetaRoot = "bench/meta", ServerName = "rootcoord", Address = "127.0.0.1:53100", Ttl = ttl, TimeProvider = time };
        var session = await ActiveStandbySession.RegisterAsync(crash.Invoker.Intercept(probe), options);
        var contender = new Contender(session, crash, probe, owned);
        contender.Processing = session.ProcessActiveStandbyAsync(contender.Activate);
        return contender;
    }

    /// <summary>The process dies: its calls are cancelled and nothing reaches etcd any more.</summary>
    public Task CrashAsync()
    {
        Crash.Crash();
        return Session.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Session.StopAsync();
        try
        {
            await Processing;
        }
        catch (SessionLostException)
        {
            // A standby whose lease went with a crash; nothing to clean up.
        }

        _channel?.Dispose();
    }

    private Task Activate(CancellationToken cancellationToken)
    {
        _activated.TrySetResult(Stopwatch.GetTimestamp());
        return Task.CompletedTask;
    }
}

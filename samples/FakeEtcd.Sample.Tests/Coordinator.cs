using Election;
using Grpc.Core;

namespace FakeEtcd.Sample.Tests;

/// <summary>The code under test: a coordinator that serves only while its session is ACTIVE.</summary>
public sealed class Coordinator : IAsyncDisposable
{
    private readonly TaskCompletionSource _activated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Coordinator(ActiveStandbySession session, KillSwitch link)
    {
        Session = session;
        Link = link;
        Running = session.ProcessActiveStandbyAsync(_ =>
        {
            _activated.TrySetResult();
            return Task.CompletedTask;
        });
    }

    public ActiveStandbySession Session { get; }

    /// <summary>This coordinator's connection to etcd.</summary>
    public KillSwitch Link { get; }

    /// <summary>Completes when this coordinator became ACTIVE.</summary>
    public Task Activated => _activated.Task;

    private Task Running { get; }

    public static async Task<Coordinator> StartAsync(CallInvoker etcd, string metaRoot, TimeProvider clock)
    {
        var link = new KillSwitch(etcd);
        var session = await ActiveStandbySession.RegisterAsync(link.Invoker, new SessionOptions
        {
            MetaRoot = metaRoot,
            ServerName = "rootcoord",
            Address = "127.0.0.1:53100",
            Ttl = TimeSpan.FromSeconds(60),
            TimeProvider = clock,
        });
        return new Coordinator(session, link);
    }

    /// <summary>The process dies: it is cut off from etcd and stops, so no keepalive and no revoke arrive.</summary>
    public async Task CrashAsync()
    {
        Link.Pull();
        await Session.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        try
        {
            await Running;
        }
        catch (SessionLostException)
        {
            // A coordinator cut off from etcd may end with its session lost.
        }
    }
}

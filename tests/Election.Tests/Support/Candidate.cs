using Grpc.Core;

namespace Election.Tests.Support;

/// <summary>A coordinator under test: a session, its active-standby loop, and what its activation saw.</summary>
public sealed class Candidate : IAsyncDisposable
{
    private readonly TaskCompletionSource<DateTimeOffset> _activated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _activations;

    private readonly TimeProvider _time;

    private Candidate(ActiveStandbySession session, CrashableInvoker invoker, ListLogger log, TimeProvider time)
    {
        _time = time;
        Session = session;
        Invoker = invoker;
        Log = log;
    }

    public ActiveStandbySession Session { get; }

    public CrashableInvoker Invoker { get; }

    public ListLogger Log { get; }

    /// <summary>The ProcessActiveStandbyAsync task.</summary>
    public Task Processing { get; private set; } = Task.CompletedTask;

    /// <summary>Completes with the session clock's time when the activation callback was entered.</summary>
    public Task<DateTimeOffset> Activated => _activated.Task;

    public int Activations => Volatile.Read(ref _activations);

    /// <summary>The activation callback's body; by default it returns at once.</summary>
    public Func<CancellationToken, Task> OnActivate { get; set; } = _ => Task.CompletedTask;

    public static async Task<Candidate> StartAsync(CallInvoker etcd, string root, string name, TimeSpan ttl, TimeProvider time, bool process = true, Action<SessionOptions>? configure = null)
    {
        var invoker = new CrashableInvoker(etcd);
        var log = new ListLogger();
        var options = new SessionOptions
        {
            MetaRoot = root,
            ServerName = name,
            Address = "10.0.0.1:53100",
            Ttl = ttl,
            TimeProvider = time,
            Logger = log,
        };
        configure?.Invoke(options);
        var session = await ActiveStandbySession.RegisterAsync(invoker.Invoker, options, TestContext.Current.CancellationToken);
        var candidate = new Candidate(session, invoker, log, time);
        if (process)
        {
            candidate.StartProcessing();
        }

        return candidate;
    }

    public void StartProcessing() => Processing = Session.ProcessActiveStandbyAsync(Activate, TestContext.Current.CancellationToken);

    /// <summary>The process dies: no keepalive, no revoke reaches etcd any more.</summary>
    public async Task CrashAsync()
    {
        Invoker.Crash();
        await Session.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        try
        {
            await Processing;
        }
        catch (Exception)
        {
            // The test asserts on Processing itself where the outcome matters.
        }
    }

    private async Task Activate(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _activations);
        _activated.TrySetResult(_time.GetUtcNow());
        await OnActivate(cancellationToken);
    }
}

using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Election.Hosting;

/// <summary>
/// The hosted session: registers when the host starts, races for the ACTIVE key, runs the
/// <see cref="IActiveStandbyActivation"/> once active, and on the host's stop ends the activation
/// before it revokes the lease. A lost session or a failed registration or activation stops the
/// application (Milvus exits there); <see cref="ActiveStandbyStatus"/> says which.
/// </summary>
/// <remarks>
/// Not a BackgroundService: since .NET 10 that starts ExecuteAsync on the thread pool, so the host's
/// start could return before the first registration call was made, and a virtual clock's settle
/// right after it could miss the registration. Here the first call is made before StartAsync returns.
/// </remarks>
internal sealed class ActiveStandbyService(
    IServiceProvider services,
    IOptions<ActiveStandbyHostOptions> options,
    ActiveStandbyStatus status,
    IHostApplicationLifetime lifetime,
    ILogger<ActiveStandbyService> logger) : IHostedService, IDisposable
{
    private readonly ActiveStandbyHostOptions _options = options.Value;
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = ExecuteAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    /// <summary>Ends the activation, then revokes the lease; the host's shutdown timeout bounds the wait.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var channel = _options.Etcd is null ? EtcdChannel.Create(_options.Endpoints) : null;
        try
        {
            var etcd = _options.Etcd?.Invoke(services) ?? channel!.CreateCallInvoker();
            await RunAsync(etcd, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            channel?.Dispose();
        }
    }

    private async Task RunAsync(CallInvoker etcd, CancellationToken stoppingToken)
    {
        ActiveStandbySession session;
        try
        {
            session = await ActiveStandbySession.RegisterAsync(etcd, SessionOptions(), stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            status.MoveTo(ActiveStandbyHostState.Stopped);
            return;
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            status.Failed(e);
            HostingLog.RegisterFailed(logger, _options.Role, e);
            lifetime.StopApplication();
            return;
        }

        await using (session.ConfigureAwait(false))
        {
            status.Registered(session);
            session.StateChanged += (_, change) => OnStateChanged(session, change.Current);
            OnStateChanged(session, session.State);
            await RaceAndHoldAsync(session, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RaceAndHoldAsync(ActiveStandbySession session, CancellationToken stoppingToken)
    {
        var race = session.ProcessActiveStandbyAsync(ActivateAsync, CancellationToken.None);
        var stopping = WhenCancelled(stoppingToken, out var stoppingRegistration);
        using var stoppingRegistered = stoppingRegistration;
        var ended = WhenCancelled(session.Ended, out var endedRegistration);
        using var endedRegistered = endedRegistration;
        await Task.WhenAny(race, stopping, ended).ConfigureAwait(false);
        if (race.IsCompletedSuccessfully)
        {
            await Task.WhenAny(stopping, ended).ConfigureAwait(false); // the activation started the work and returned
        }

        if (stoppingToken.IsCancellationRequested)
        {
            await session.StopAsync().ConfigureAwait(false); // the activation ends first, then the lease is revoked
        }

        try
        {
            await race.ConfigureAwait(false);
        }
        catch (SessionLostException)
        {
            // Lost while standby: reported by OnStateChanged as it happened.
        }
        catch (Exception) when (status.State == ActiveStandbyHostState.Failed)
        {
            // The activation's exception: reported by ActivateAsync as it happened.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            status.Failed(e);
            HostingLog.RaceFailed(logger, _options.Role, e);
            lifetime.StopApplication();
        }
    }

    /// <summary>
    /// Runs inline with the session's transition, so the status and the application's stop follow a
    /// loss at once (a virtual clock's settle sees them), not after a hop through the thread pool.
    /// </summary>
    private void OnStateChanged(ActiveStandbySession session, SessionState state)
    {
        status.MoveTo(Map(state));
        if (state != SessionState.Lost)
        {
            return;
        }

        if (_options.StopApplicationOnLoss)
        {
            HostingLog.LostStopping(logger, _options.Role, session.LossReason);
            lifetime.StopApplication();
        }
        else
        {
            HostingLog.LostContinuing(logger, _options.Role, session.LossReason);
        }
    }

    private async Task ActivateAsync(CancellationToken stopping)
    {
        var scope = services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            try
            {
                var activation = scope.ServiceProvider.GetRequiredService<IActiveStandbyActivation>();
                await activation.ActivateAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException && stopping.IsCancellationRequested))
            {
                // Reported before the session stops itself (revoking its lease; Milvus panics there).
                status.Failed(e);
                HostingLog.ActivationFailed(logger, _options.Role, e);
                lifetime.StopApplication();
                throw;
            }
        }
    }

    private SessionOptions SessionOptions()
    {
        var role = MilvusRole.All[_options.Role];
        var session = new SessionOptions
        {
            MetaRoot = _options.MetaRoot,
            ServerName = role.ServerName,
            Address = _options.Address.Length > 0 ? _options.Address : "localhost:" + role.DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Ttl = _options.SessionTtl,
            EnableActiveStandby = _options.EnableActiveStandby,
            RegisterRetries = _options.RegisterRetries,
            HostName = Environment.MachineName,
            TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System,
            LoggerFactory = services.GetService<ILoggerFactory>(),
        };
        _options.ConfigureSession?.Invoke(session);
        return session;
    }

    private static ActiveStandbyHostState Map(SessionState state) => state switch
    {
        SessionState.Standby => ActiveStandbyHostState.Standby,
        SessionState.Active => ActiveStandbyHostState.Active,
        SessionState.Lost => ActiveStandbyHostState.Lost,
        _ => ActiveStandbyHostState.Stopped,
    };

    /// <summary>A task that completes when <paramref name="token"/> is cancelled; dispose <paramref name="registration"/> once done with it.</summary>
    private static Task WhenCancelled(CancellationToken token, out CancellationTokenRegistration registration)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        registration = token.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), cancelled);
        return cancelled.Task;
    }
}

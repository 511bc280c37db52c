using System.CommandLine;
using Coordinator.Clock;
using Coordinator.Logging;
using Election.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Coordinator;

/// <summary>
/// The command line: <c>--clock system|follow</c>, and Milvus's settings from the environment. Bad flags
/// or values print one line to stderr and exit with <see cref="UsageError"/> before any etcd call.
/// </summary>
internal static class CoordinatorCommand
{
    /// <summary>Exit code for a flag or environment value that cannot be used.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code when etcd refuses or cannot be reached, or the session is lost.</summary>
    public const int Failure = 1;

    public static async Task<int> RunAsync(string[] args, IConfiguration settings, TextWriter output, TextWriter error)
    {
        var clock = new Option<string>("--clock")
        {
            Description = "Where time comes from: 'system' (wall clock, any etcd) or 'follow' (the FakeEtcd server's virtual clock).",
            DefaultValueFactory = _ => ClockSources.Default,
        };
        clock.Validators.Add(result =>
        {
            // The stock "not recognized" message spans several lines.
            var value = result.GetValueOrDefault<string>();
            if (!ClockSources.All.ContainsKey(value))
            {
                result.AddError($"--clock must be {string.Join(" or ", ClockSources.All.Keys)}, not '{value}'");
            }
        });

        var root = new RootCommand(
            "A Milvus rootcoord's active-standby over etcd. Settings come from Milvus's environment names: ETCD_ENDPOINTS, "
            + "ROOT_COORD_ENABLE_ACTIVE_STANDBY, COMMON_SESSION_TTL, COMMON_SESSION_RETRY_TIMES, ETCD_ROOT_PATH, ETCD_META_SUB_PATH, "
            + "ROOT_COORD_ADDRESS, LOG_LEVEL.")
        {
            clock,
        };
        root.SetAction((result, stopping) => RunAsync(result.GetValue(clock)!, settings, output, error, stopping));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await error.WriteLineAsync("error: " + parsed.Errors[0].Message).ConfigureAwait(false);
            return UsageError;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }).ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(string clock, IConfiguration settings, TextWriter output, TextWriter error, CancellationToken stopping)
    {
        ActiveStandbyHostOptions session;
        Microsoft.Extensions.Logging.LogLevel level;
        try
        {
            session = ActiveStandbyHostOptions.FromConfiguration(settings, CoordinatorHost.Role);
            level = CoordinatorLogLevel.FromConfiguration(settings);
        }
        catch (Exception e) when (e is OptionsValidationException or SettingsException)
        {
            await error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return UsageError;
        }

        if (ClockSources.All[clock] is not { } connect)
        {
            await error.WriteLineAsync($"error: --clock {clock} is not available in this build").ConfigureAwait(false);
            return UsageError;
        }

        var etcd = await connect(session.Endpoints, stopping).ConfigureAwait(false);
        await using (etcd.Lifetime.ConfigureAwait(false))
        {
            using var logs = new MilvusLoggerProvider(etcd.Time, output, level);
            using var host = CoordinatorHost.Build(settings, etcd, logs);
            var status = host.Services.GetRequiredService<ActiveStandbyStatus>();
            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            await using var stop = stopping.Register(lifetime.StopApplication).ConfigureAwait(false);

            // Without its clock a follower's timers never fire: stop (revoking the lease) and say why.
            _ = etcd.ClockLost.ContinueWith(_ => lifetime.StopApplication(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await host.StartAsync(CancellationToken.None).ConfigureAwait(false);
            await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);

            if (etcd.ClockLost.IsCompleted && !stopping.IsCancellationRequested)
            {
                var reason = etcd.ClockLost.Exception?.InnerException is RpcException lost ? $"{lost.Status.StatusCode}: {lost.Status.Detail}" : "the server closed the connection";
                await error.WriteLineAsync($"error: lost the clock of {session.Endpoints[0].Authority}: {reason}").ConfigureAwait(false);
                return Failure;
            }

            switch (status.Failure)
            {
                case RpcException e:
                    await error.WriteLineAsync($"error: etcd at {string.Join(',', session.Endpoints.Select(u => u.Authority))}: {e.Status.StatusCode}: {e.Status.Detail}").ConfigureAwait(false);
                    return Failure;
                case { } e:
                    // E.g. without active-standby a second rootcoord finds the ACTIVE key taken (Milvus panics there).
                    await error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
                    return Failure;
            }

            return status.ExitCode;
        }
    }
}

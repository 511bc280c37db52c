using System.CommandLine;
using System.Runtime.InteropServices;
using FakeEtcd.Cluster;
using FakeEtcd.Hosting;
using FakeEtcd.Hosting.Logging;
using FakeEtcd.Simulation;
using Microsoft.Extensions.Logging;

namespace FakeEtcd.Cli;

/// <summary>
/// The standalone server's command line. Flag names are etcd's, so scripts written for etcd run
/// unchanged; etcd flags FakeEtcd has no use for (--data-dir, ...) are accepted with a warning.
/// </summary>
internal static class StandaloneCommand
{
    /// <summary>Loopback only, like etcd's default (http://localhost:2379): other interfaces only when asked for.</summary>
    internal const string DefaultListenClientUrls = "http://127.0.0.1:2379";

    /// <summary>The values --etcd-compat accepts: the release line, as etcd's own version prefix.</summary>
    private static readonly IReadOnlySet<string> Subcommands = new HashSet<string>(StringComparer.Ordinal) { "clock", "faults" };

    private const string KestrelCategory = "Microsoft.AspNetCore.Server.Kestrel";

    private static readonly Dictionary<string, EtcdCompatibility> CompatibilityNames = new(StringComparer.Ordinal)
    {
        ["3.5"] = EtcdCompatibility.Etcd35,
        ["3.4"] = EtcdCompatibility.Etcd34,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var listenClientUrls = new Option<string>("--listen-client-urls")
        {
            Description = "Comma-separated URLs to listen on for client traffic (http:// or https://, IP:port or localhost:port; port 0 picks a free one; "
                + "unix://host:port or unixs://host:port for a Unix socket file named host:port, as etcd). "
                + "Default: loopback only.",
            DefaultValueFactory = _ => DefaultListenClientUrls,
        };
        var advertiseClientUrls = new Option<string?>("--advertise-client-urls")
        {
            Description = "Comma-separated client URLs reported by MemberList (default: the listen URLs, as bound).",
        };
        var name = new Option<string>("--name")
        {
            Description = "Human-readable name for this member, shown by 'etcdctl member list'.",
            DefaultValueFactory = _ => "default",
        };
        var maxTxnOps = new Option<int>("--max-txn-ops")
        {
            Description = "Maximum number of operations permitted in one list of a transaction.",
            DefaultValueFactory = _ => 128,
        };
        var maxRequestBytes = new Option<int>("--max-request-bytes")
        {
            Description = "Maximum client request size in bytes the server will accept.",
            DefaultValueFactory = _ => 1536 * 1024,
        };

        var clock = new Option<string>("--clock")
        {
            Description = "The server's clock: 'system' (wall time) or 'virtual' (moves only with --time-scale or 'clock advance').",
            DefaultValueFactory = _ => "system",
        };
        clock.AcceptOnlyFromAmong("system", "virtual");
        var timeScale = new Option<double>("--time-scale")
        {
            Description = "With --clock virtual: virtual time runs N times as fast as wall time (0: only 'clock advance' moves it).",
            DefaultValueFactory = _ => 0,
        };

        var followerTimeout = new Option<string>("--follower-timeout")
        {
            Description = "With --clock virtual: how long (wall time, e.g. 5s, 500ms) a clock follower may take to report "
                + "a tick done before the advance fails and the follower is disconnected.",
            DefaultValueFactory = _ => "5s",
        };
        followerTimeout.Validators.Add(result =>
        {
            if (!GoDuration.TryParse(result.GetValueOrDefault<string>(), out var timeout) || timeout <= TimeSpan.Zero)
            {
                result.AddError($"--follower-timeout must be a positive duration such as 5s or 500ms, not '{result.GetValueOrDefault<string>()}'.");
            }
        });

        var etcdCompat = new Option<string>("--etcd-compat")
        {
            Description = "The etcd release to follow where 3.4 and 3.5 differ: '3.5' (reports 3.5.26) or '3.4' (reports 3.4.23). "
                + "See docs/compatibility.md.",
            DefaultValueFactory = _ => "3.5",
        };
        etcdCompat.Validators.Add(result =>
        {
            // The stock "Argument '3.6' not recognized" does not name the flag.
            var value = result.GetValueOrDefault<string>();
            if (!CompatibilityNames.ContainsKey(value))
            {
                result.AddError($"--etcd-compat must be 3.5 or 3.4, not '{value}'.");
            }
        });

        var simulationSeed = new Option<int?>("--simulation-seed")
        {
            Description = "Run as a simulation with this seed: record the history and accept faults ('faults inject', fakeetcd.v1.Faults).",
        };

        var ignoreUnknownFlags = new Option<bool>(EtcdArguments.IgnoreUnknownFlags)
        {
            Description = "Warn about flags etcd does not define instead of failing as etcd does (FakeEtcd's own flag).",
        };

        var tls = new TlsOptions();
        var server = new EtcdServerFlags();
        var logging = new EtcdLogFlags();

        var root = new RootCommand(
            "FakeEtcd: an etcd v3 gRPC server (etcd " + EtcdProfile.Etcd35.Version + " semantics, or " + EtcdProfile.Etcd34.Version
            + " with --etcd-compat 3.4) for tests. "
            + "Other etcd flags (--data-dir, --initial-cluster, ...) are accepted and ignored with a warning; a flag etcd does not "
            + "define is an error, as on etcd. Go's forms (-flag, -flag=value) and etcd's ETCD_* environment variables are read as etcd reads them.")
        {
            listenClientUrls, advertiseClientUrls, name, maxTxnOps, maxRequestBytes, clock, timeScale, followerTimeout, etcdCompat,
            simulationSeed, ignoreUnknownFlags, tls.CertFile, tls.KeyFile, tls.TrustedCaFile, tls.ClientCertAuth, ClockCommand.Create(), FaultsCommand.Create(),
        };
        foreach (var option in server.All.Concat(logging.All))
        {
            root.Options.Add(option);
        }

        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction(async (result, cancellationToken) =>
        {
            var (warning, error) = EtcdArguments.JudgeUnmatched(result.UnmatchedTokens, result.GetValue(ignoreUnknownFlags));
            if (error is not null)
            {
                await Console.Error.WriteLineAsync(error + "\nRun with --help for the flags FakeEtcd takes.").ConfigureAwait(false);
                return 2; // Go's flag package exits 2.
            }

            if (warning is not null)
            {
                await Console.Error.WriteLineAsync(warning).ConfigureAwait(false);
            }

            var (log, logWarnings, logError) = logging.Build(result);
            foreach (var line in logWarnings)
            {
                await Console.Error.WriteLineAsync(line).ConfigureAwait(false);
            }

            if (logError is var (logMessage, logExitCode))
            {
                await Console.Error.WriteLineAsync(logMessage).ConfigureAwait(false);
                return logExitCode;
            }

            var options = new FakeEtcdServerOptions
            {
                Name = result.GetValue(name)!,
                MaxTxnOps = result.GetValue(maxTxnOps),
                MaxRequestBytes = result.GetValue(maxRequestBytes),
                TimeProvider = result.GetValue(clock) == "virtual" ? new VirtualClock() : TimeProvider.System,
                TimeScale = result.GetValue(timeScale),
                FollowerTimeout = GoDuration.TryParse(result.GetValue(followerTimeout)!, out var timeout) ? timeout : TimeSpan.FromSeconds(5),
                Compatibility = CompatibilityNames[result.GetValue(etcdCompat)!],
                Simulation = result.GetValue(simulationSeed) is { } seed ? new SimulationOptions { Seed = seed } : null,
                LoggerFactory = LoggerFactory.Create(b => b.AddProvider(new EtcdLoggerProvider(log!)).SetMinimumLevel(log!.Minimum)
                    // Kestrel warns that a cleartext HTTP/1.1 + HTTP/2 endpoint will speak HTTP/1.1 only; the
                    // client port's protocol selection makes it speak both (CleartextProtocolSelection).
                    // ASP.NET Core's per-request information is not etcd's: below warnings only at debug.
                    .AddFilter((category, level) => !IsFramework(category) || log.Minimum <= LogLevel.Debug
                        || level > LogLevel.Warning || (level == LogLevel.Warning && category != KestrelCategory))),
            };
            if (server.Apply(result, options) is var (message, exitCode))
            {
                await Console.Error.WriteLineAsync(message).ConfigureAwait(false);
                return exitCode;
            }

            if (!await tls.ApplyAsync(result, options).ConfigureAwait(false))
            {
                return 1;
            }

            var (listen, listenError) = EtcdUrls.Parse("listen-client-urls", result.GetValue(listenClientUrls));
            var (advertise, advertiseError) = result.GetValue(advertiseClientUrls) is { Length: > 0 } advertised
                ? EtcdUrls.Parse("advertise-client-urls", advertised)
                : ([], null);
            if ((listenError ?? advertiseError) is { } urlError)
            {
                await Console.Error.WriteLineAsync(urlError).ConfigureAwait(false);
                return 2; // Go's flag package exits 2.
            }

            options.ListenClientUrls.Clear();
            foreach (var url in listen)
            {
                options.ListenClientUrls.Add(url);
            }

            foreach (var url in advertise)
            {
                options.AdvertiseClientUrls.Add(url);
            }

            return await ServeAsync(options, log!, cancellationToken).ConfigureAwait(false);
        });

        var prepared = EtcdArguments.Prepare(args, Environment.GetEnvironmentVariables(), Subcommands);
        foreach (var line in prepared.Warnings)
        {
            await Console.Error.WriteLineAsync(line).ConfigureAwait(false);
        }

        if (prepared.Error is not null)
        {
            await Console.Error.WriteLineAsync(prepared.Error).ConfigureAwait(false);
            return prepared.ExitCode;
        }

        return await root.Parse(prepared.Args).InvokeAsync().ConfigureAwait(false);
    }

    private static async Task<int> ServeAsync(FakeEtcdServerOptions options, EtcdLog log, CancellationToken stopping)
    {
        var version = EtcdProfile.For(options.Compatibility).Version;
        // SIGTERM and Ctrl-C stop the server cleanly (exit 0), whenever they come: handled here, before the
        // ready line, and not left to the runtime's default (exit 143) or to a cancellation that may not see them.
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopped.TrySetResult();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        log.Write(LogLevel.Information, "embed/etcd.go", "starting an etcd server",
        [
            new("etcd-version", version),
            new("name", options.Name),
            new("listen-client-urls", options.ListenClientUrls.Select(u => u.OriginalString).ToArray()),
            new("initial-cluster-token", options.InitialClusterToken),
            new("clock", options.TimeProvider is VirtualClock ? "virtual" : "system"),
        ]);
        FakeEtcdServer server;
        try
        {
            server = await FakeEtcdServer.StartAsync(options, stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return 1;
        }

        await using (server.ConfigureAwait(false))
        {
            var urls = server.ClientUrls.Select(ClientListeners.Text).ToArray();
            log.Write(LogLevel.Information, "embed/serve.go", "ready to serve client requests", [new("advertise-client-urls", urls)]);
            foreach (var url in server.ClientUrls.Where(u => u.Scheme is "http" or ClientListeners.UnixScheme))
            {
                log.Write(LogLevel.Information, "embed/serve.go", "serving client traffic insecurely; this is strongly discouraged!", [new("address", ClientListeners.Text(url))]);
            }

            Console.WriteLine($"FakeEtcd {version} ready to serve client requests on {string.Join(',', urls)} (member {server.MemberId:x}, cluster {server.ClusterId:x})");

            // Until a signal, or the command's own cancellation.
            await using (stopping.Register(() => stopped.TrySetResult()).ConfigureAwait(false))
            {
                await stopped.Task.ConfigureAwait(false);
            }

            log.Write(LogLevel.Information, "embed/etcd.go", "closing etcd server", [new("name", options.Name), new("advertise-client-urls", urls)]);
            Console.WriteLine("FakeEtcd stopping");
        }

        return 0;
    }

    /// <summary>Categories of the framework FakeEtcd runs on (Kestrel, hosting, gRPC), not of etcd's own work.</summary>
    private static bool IsFramework(string? category) =>
        category is not null && (category.StartsWith("Microsoft.", StringComparison.Ordinal) || category.StartsWith("Grpc.", StringComparison.Ordinal)
            || category.StartsWith("System.", StringComparison.Ordinal));
}

using System.Diagnostics;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;

namespace FakeEtcd.TestSupport;

/// <summary>
/// A single-member real etcd in its own temp data dir on free loopback ports.
/// Dispose kills the process tree and deletes the data dir.
/// </summary>
public sealed class RealEtcd : IEtcdEndpoint
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(250);
    private const int PortAttempts = 3;

    private readonly Process _process;
    private readonly StderrTail _stderr;
    private readonly string _dataRoot;

    private RealEtcd(Process process, StderrTail stderr, string dataRoot, Uri clientUrl)
    {
        _process = process;
        _stderr = stderr;
        _dataRoot = dataRoot;
        ClientUrl = clientUrl;
    }

    /// <inheritdoc />
    public string Name => "etcd";

    /// <inheritdoc />
    public Uri ClientUrl { get; }

    /// <inheritdoc />
    public string Diagnostics => _stderr.ToString();

    /// <summary>The etcd process's id (a benchmark reads its CPU time from /proc).</summary>
    public int Pid => _process.Id;

    /// <summary>Starts etcd and returns once it answers a Status call.</summary>
    public static async Task<IEtcdEndpoint> StartAsync(DiffOptions options, CancellationToken cancellationToken = default)
    {
        var binary = EtcdBinary.Require();
        for (var attempt = 1; ; attempt++)
        {
            var etcd = Launch(binary, options);
            try
            {
                await etcd.WaitReadyAsync(cancellationToken);
                return etcd;
            }
            catch (PortTakenException) when (attempt < PortAttempts)
            {
                // Another process took a port between FreePort.Next and etcd's bind: new ports.
                await etcd.DisposeAsync();
            }
            catch
            {
                await etcd.DisposeAsync();
                throw;
            }
        }
    }

    private static RealEtcd Launch(string binary, DiffOptions options)
    {
        var dataRoot = CreateDataRoot(options.EtcdDataOnDisk);
        var client = $"http://127.0.0.1:{FreePort.Next()}";
        var peer = $"http://127.0.0.1:{FreePort.Next()}";
        var advertisedClient = options.SameMember ? DiffOptions.SameMemberClientUrl : client;
        var advertisedPeer = options.SameMember ? DiffOptions.SameMemberPeerUrl : peer;
        List<string> args =
        [
            "--name", DiffOptions.MemberName,
            "--data-dir", Path.Combine(dataRoot, "data"),
            "--listen-client-urls", client,
            "--advertise-client-urls", advertisedClient,
            "--listen-peer-urls", peer,
            "--initial-advertise-peer-urls", advertisedPeer,
            "--initial-cluster", $"{DiffOptions.MemberName}={advertisedPeer}",
            "--logger", "zap",
            "--log-outputs", "stderr",
        ];
        if (options.QuotaBackendBytes is { } quota)
        {
            args.AddRange(["--quota-backend-bytes", quota.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        if (options.FastEtcdElection)
        {
            args.AddRange(["--heartbeat-interval", "10", "--election-timeout", "100"]);
        }

        var (process, stderr) = StartProcess(binary, args);
        return new RealEtcd(process, stderr, dataRoot, new Uri(client));
    }

    /// <summary>Starts an etcd process with <paramref name="args"/> and nothing from the environment, its output kept in a tail.</summary>
    public static (Process Process, StderrTail Output) StartProcess(string binary, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // ETCD_* variables from the environment would silently change the configuration.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ETCD", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        var stderr = new StderrTail();
        var process = new Process { StartInfo = info };
        process.ErrorDataReceived += (_, e) => stderr.Add(e.Data);
        process.OutputDataReceived += (_, e) => stderr.Add(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return (process, stderr);
    }

    /// <summary>On tmpfs where there is one: etcd fsyncs every write, and 3.4 has no --unsafe-no-fsync.</summary>
    private static string CreateDataRoot(bool onDisk)
    {
        const string Tmpfs = "/dev/shm";
        if (onDisk || !Directory.Exists(Tmpfs))
        {
            return Directory.CreateTempSubdirectory("fakeetcd-diff-").FullName;
        }

        var root = Path.Combine(Tmpfs, "fakeetcd-diff-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return root;
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        while (true)
        {
            if (_process.HasExited)
            {
                var log = Diagnostics;
                if (log.Contains("address already in use", StringComparison.Ordinal))
                {
                    throw new PortTakenException();
                }

                throw new InvalidOperationException($"etcd exited with code {_process.ExitCode} before serving.\n{log}");
            }

            if (await AnswersStatusAsync(cancellationToken))
            {
                return;
            }

            if (clock.GetElapsedTime(started) > ReadyTimeout)
            {
                throw new TimeoutException($"etcd at {ClientUrl} did not serve within {ReadyTimeout}.\n{Diagnostics}");
            }

            await Task.Delay(PollInterval, clock, cancellationToken);
        }
    }

    private async Task<bool> AnswersStatusAsync(CancellationToken cancellationToken)
    {
        // A fresh channel and a short timeout per attempt: etcd accepts TCP connections before it
        // serves them, and a call made on such a connection stalls well past the moment etcd is ready.
        using var channel = GrpcChannel.ForAddress(ClientUrl);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(AttemptTimeout);
        try
        {
            await new Maintenance.MaintenanceClient(channel).StatusAsync(new StatusRequest(), cancellationToken: attempt.Token);
            return true;
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
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

    private sealed class PortTakenException : Exception;
}

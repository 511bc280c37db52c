using System.Diagnostics;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// A single-member real etcd in its own temp data dir on free loopback ports.
/// Dispose kills the process tree and deletes the data dir.
/// </summary>
public sealed class RealEtcd : IEtcdEndpoint
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
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

    /// <summary>Starts etcd and returns once it answers a Status call.</summary>
    public static async Task<IEtcdEndpoint> StartAsync(CancellationToken cancellationToken = default)
    {
        var binary = EtcdBinary.RequireOrSkip();
        for (var attempt = 1; ; attempt++)
        {
            var etcd = Launch(binary);
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

    private static RealEtcd Launch(string binary)
    {
        var dataRoot = Directory.CreateTempSubdirectory("fakeetcd-diff-").FullName;
        var client = $"http://127.0.0.1:{FreePort.Next()}";
        var peer = $"http://127.0.0.1:{FreePort.Next()}";
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            "--name", "diff",
            "--data-dir", Path.Combine(dataRoot, "data"),
            "--listen-client-urls", client,
            "--advertise-client-urls", client,
            "--listen-peer-urls", peer,
            "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"diff={peer}",
            "--logger", "zap",
            "--log-outputs", "stderr",
        ];
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
        return new RealEtcd(process, stderr, dataRoot, new Uri(client));
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        using var channel = GrpcChannel.ForAddress(ClientUrl);
        var maintenance = new Maintenance.MaintenanceClient(channel);
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

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                await maintenance.StatusAsync(new StatusRequest(), cancellationToken: attempt.Token);
                return;
            }
            catch (RpcException) when (!cancellationToken.IsCancellationRequested)
            {
                // Not listening or no leader yet: poll again below.
            }

            if (clock.GetElapsedTime(started) > ReadyTimeout)
            {
                throw new TimeoutException($"etcd at {ClientUrl} did not serve within {ReadyTimeout}.\n{Diagnostics}");
            }

            await Task.Delay(PollInterval, clock, cancellationToken);
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

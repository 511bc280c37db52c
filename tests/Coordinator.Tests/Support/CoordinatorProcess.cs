using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Coordinator.Tests.Support;

/// <summary>
/// One <c>dotnet coordinator/Coordinator.dll</c> process (the app's output folder, copied next to the tests),
/// with stdout collected line by line for bounded waits.
/// </summary>
internal sealed class CoordinatorProcess : IAsyncDisposable
{
    /// <summary>The settings a test may pass; any the caller's environment has are removed first.</summary>
    private static readonly string[] Settings =
        ["ETCD_ENDPOINTS", "ROOT_COORD_ENABLE_ACTIVE_STANDBY", "COMMON_SESSION_TTL", "ETCD_ROOT_PATH", "ETCD_META_SUB_PATH", "ROOT_COORD_ADDRESS", "LOG_LEVEL"];

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];

    private CoordinatorProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _stdout];
            }
        }
    }

    public IReadOnlyList<string> ErrorLines
    {
        get
        {
            lock (_gate)
            {
                return [.. _stderr];
            }
        }
    }

    public static CoordinatorProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "coordinator", "Coordinator.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in Settings)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var coordinator = new CoordinatorProcess(process);
        process.OutputDataReceived += (_, e) => coordinator.Add(coordinator._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => coordinator.Add(coordinator._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return coordinator;
    }

    /// <summary>The index of the first line from <paramref name="from"/> on that contains <paramref name="fragment"/>; fails after <see cref="SessionWaits.RealTimeLimit"/> or if the process exits first.</summary>
    public async Task<int> WaitForLineAsync(string fragment, int from = 0)
    {
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        while (true)
        {
            // Read the exit state first: once exited and drained, no further line can come.
            var exited = _process.HasExited;
            if (exited)
            {
                _process.WaitForExit();
            }

            var lines = Lines;
            for (var i = from; i < lines.Count; i++)
            {
                if (lines[i].Contains(fragment, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            if (exited)
            {
                Assert.Fail($"coordinator {Id} exited ({_process.ExitCode}) before printing '{fragment}'{Output()}");
            }

            if (clock.GetElapsedTime(started) >= SessionWaits.RealTimeLimit)
            {
                Assert.Fail($"coordinator {Id} printed no '{fragment}' in {SessionWaits.RealTimeLimit}{Output()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), clock, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>SIGKILL, as a crash: no revoke, the lease has to expire.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await WaitForExitAsync();
    }

    /// <summary>SIGTERM, as Kubernetes or Ctrl+C stops a coordinator.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Sends a signal with kill(1): TERM, STOP (the process freezes), CONT.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System);
        return _process.ExitCode;
    }

    public ValueTask DisposeAsync() => _process.KillAndDisposeAsync();

    /// <summary>The dotnet that runs the tests: DOTNET_HOST_PATH under dotnet test, else the one above the running runtime.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host)
        {
            return host;
        }

        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var dotnet = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(dotnet) ? dotnet : "dotnet";
    }

    private void Add(List<string> lines, string? line)
    {
        if (line is not null)
        {
            lock (_gate)
            {
                lines.Add(line);
            }
        }
    }

    private string Output()
    {
        lock (_gate)
        {
            return "\nstdout:\n" + string.Join('\n', _stdout) + "\nstderr:\n" + string.Join('\n', _stderr);
        }
    }
}

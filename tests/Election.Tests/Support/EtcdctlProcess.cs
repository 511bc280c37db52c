using System.Diagnostics;
using System.Threading.Channels;

namespace Election.Tests.Support;

/// <summary>A long-running <c>etcdctl</c> (elect, lock) whose stdout lines a test can await and which it can interrupt.</summary>
public sealed class EtcdctlProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringWriter _all = new();

    private EtcdctlProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static EtcdctlProcess Start(Uri endpoint, params string[] args)
    {
        var binary = FindEtcdctl();
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--endpoints");
        info.ArgumentList.Add(endpoint.GetLeftPart(UriPartial.Authority));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ETCDCTL_API"] = "3";
        var process = new Process { StartInfo = info };
        var etcdctl = new EtcdctlProcess(process);
        process.OutputDataReceived += (_, e) => etcdctl.Add(e.Data, stdout: true);
        process.ErrorDataReceived += (_, e) => etcdctl.Add(e.Data, stdout: false);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return etcdctl;
    }

    /// <summary>The next stdout line, within the real-time limit.</summary>
    public async Task<string> NextLineAsync()
    {
        try
        {
            return await _lines.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask()
                .WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("etcdctl printed nothing; output so far:\n" + Output);
        }
    }

    public bool TryReadLine(out string line) => _lines.Reader.TryRead(out line!);

    public string Output
    {
        get
        {
            lock (_all)
            {
                return _all.ToString();
            }
        }
    }

    /// <summary>Ctrl-C: etcdctl elect resigns and etcdctl lock unlocks before exiting.</summary>
    public async Task InterruptAsync()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        await WaitForExitAsync();
    }

    public Task WaitForExitAsync() =>
        _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>
    /// Skips the test (fails it under CI=true) when there is no etcdctl on PATH. Call it before the
    /// test starts any work, so that the skip is not thrown from inside a pending operation.
    /// </summary>
    public static void Require() => FindEtcdctl();

    private static string FindEtcdctl()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "etcdctl"))
            .FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("CI=true but no 'etcdctl' on PATH; interop tests need it.");
        }

        Assert.Skip("No 'etcdctl' on PATH: interop tests are skipped.");
        return string.Empty;
    }

    private void Add(string? line, bool stdout)
    {
        if (line is null)
        {
            return;
        }

        lock (_all)
        {
            _all.WriteLine((stdout ? "out: " : "err: ") + line);
        }

        if (stdout)
        {
            _lines.Writer.TryWrite(line);
        }
    }
}

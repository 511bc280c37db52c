using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FakeEtcd.TestSupport;

/// <summary>Runs the standalone FakeEtcd executable (built next to the tests) as a child process.</summary>
public sealed partial class StandaloneProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private Task<string> _stderr = Task.FromResult(string.Empty);

    private StandaloneProcess(Process process) => _process = process;

    public string ReadyLine { get; private set; } = string.Empty;

    public Uri ClientUrl { get; private set; } = null!;

    /// <summary>Everything the process wrote to stderr; complete after <see cref="TerminateAsync"/>.</summary>
    public string StandardError { get; private set; } = string.Empty;

    public IReadOnlyList<string> Output => _output;

    public int Pid => _process.Id;

    public static async Task<StandaloneProcess> StartAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FakeEtcd.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var started = new StandaloneProcess(Process.Start(info)!);
        await started.WaitUntilReadyAsync();
        return started;
    }

    /// <summary>Runs a one-shot command of the executable (e.g. <c>clock advance</c>) and returns its exit code and first stdout line.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(params string[] args)
    {
        var (exitCode, stdout, _) = await RunAsync(args);
        return (exitCode, stdout.Split('\n')[0].Trim());
    }

    /// <summary>Runs the executable to the end and returns its exit code and everything it wrote to stderr.</summary>
    public static async Task<(int ExitCode, string Error)> RunForErrorAsync(params string[] args)
    {
        var (exitCode, _, stderr) = await RunAsync(args);
        return (exitCode, stderr);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FakeEtcd.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), TimeProvider.System);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Sends SIGTERM (what Ctrl-C or a service manager sends) and waits for the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20), TimeProvider.System);
        await _process.WaitForExitAsync(timeout.Token);
        _output.AddRange((await _process.StandardOutput.ReadToEndAsync(timeout.Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        StandardError = await _stderr;
        return _process.ExitCode;
    }

    public ValueTask DisposeAsync() => _process.KillAndDisposeAsync();

    private async Task WaitUntilReadyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), TimeProvider.System);
        _stderr = _process.StandardError.ReadToEndAsync(CancellationToken.None);
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (ReadyUrl().Match(line) is { Success: true } match)
            {
                ReadyLine = line;
                ClientUrl = new Uri(match.Groups[1].Value);
                return;
            }

            _output.Add(line);
        }

        throw new InvalidOperationException("FakeEtcd exited before it was ready: " + await _stderr);
    }

    [GeneratedRegex(@"ready to serve client requests on ((?:https?|unixs?)://[^ ,]+)")]
    private static partial Regex ReadyUrl();
}

using System.Diagnostics;

namespace FakeEtcd.Tests.Support;

/// <summary>Runs the real Go etcdctl (v3 API, found on PATH) to the end; skips locally when it is missing, fails under CI=true.</summary>
internal static class Etcdctl
{
    private static readonly Lazy<string?> Found = new(() => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(d => System.IO.Path.Combine(d, "etcdctl"))
        .FirstOrDefault(File.Exists));

    /// <summary>Full path of etcdctl on PATH; skips the test when there is none (fails it under CI=true).</summary>
    public static string Path => Found.Value ?? Missing();

    public static void RequireOrSkip() => _ = Path;

    private static string Missing()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("CI=true but no 'etcdctl' on PATH (apt-get install etcd-client).");
        }

        Assert.Skip("No 'etcdctl' on PATH: etcdctl tests are skipped.");
        return string.Empty;
    }

    /// <summary>Exit code, then stdout followed by stderr.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ETCDCTL_API"] = "3";
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}

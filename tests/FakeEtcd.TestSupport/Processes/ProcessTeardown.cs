using System.Diagnostics;

namespace FakeEtcd.TestSupport;

/// <summary>How a test ends a child process it started: whatever it left running is killed, tree and all.</summary>
public static class ProcessTeardown
{
    public static async ValueTask KillAndDisposeAsync(this Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        process.Dispose();
    }
}

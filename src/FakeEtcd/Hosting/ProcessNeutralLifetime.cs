using Microsoft.Extensions.Hosting;

namespace FakeEtcd.Hosting;

/// <summary>
/// The server's host lifetime: it takes no process signals. The default console lifetime would catch
/// SIGTERM and Ctrl-C for the whole process (cancelling their default handling) to stop only this
/// host, so a test process hosting a server could not be stopped, and the standalone command, which
/// stops on its own cancellation, would miss the signal.
/// </summary>
internal sealed class ProcessNeutralLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

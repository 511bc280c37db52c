using Election.Hosting;
using Microsoft.Extensions.Hosting;

namespace FakeEtcd.TestSupport;

/// <summary>
/// Waits on a hosted session, bounded on the wall clock only to end a hang (<see cref="SessionWaits.RealTimeLimit"/>).
/// The hosted session registers and races on the thread pool, concurrently with the test; on a loaded
/// machine an in-process settle can end while that work is running but descheduled (FakeEtcd issue 15),
/// so a test waits for the state it needs, then settles.
/// </summary>
public static class HostWaits
{
    /// <summary>Completes once <paramref name="status"/> has reached <paramref name="state"/> or gone past it.</summary>
    public static async Task ReachesAsync(this ActiveStandbyStatus status, ActiveStandbyHostState state)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(object? sender, ActiveStandbyHostState now)
        {
            if (now >= state)
            {
                reached.TrySetResult();
            }
        }

        status.Changed += OnChanged;
        try
        {
            if (status.State < state)
            {
                await reached.Task.WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            status.Changed -= OnChanged;
        }
    }

    /// <summary>
    /// Completes once the application was asked to stop: for a stop that follows the session's own teardown
    /// (a refused registration revokes its lease first), which the in-process settle does not see to its end.
    /// </summary>
    public static async Task StoppingAsync(this IHostApplicationLifetime lifetime)
    {
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStopping.Register(() => stopping.TrySetResult()))
        {
            await stopping.Task.WaitAsync(SessionWaits.RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken);
        }
    }
}

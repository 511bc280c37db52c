namespace Election.Tests.Support;

/// <summary>Bounded waits on session state, for tests on the wall clock (real etcd).</summary>
public static class SessionWaits
{
    public static readonly TimeSpan RealTimeLimit = TimeSpan.FromSeconds(20);

    /// <summary>Completes when the session reaches <paramref name="state"/>; fails after <see cref="RealTimeLimit"/>.</summary>
    public static async Task WaitForStateAsync(this ActiveStandbySession session, SessionState state)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChange(object? sender, SessionStateChange change)
        {
            if (change.Current == state)
            {
                reached.TrySetResult();
            }
        }

        session.StateChanged += OnChange;
        try
        {
            if (session.State == state)
            {
                return;
            }

            await reached.Task.WaitAsync(RealTimeLimit, TimeProvider.System, TestContext.Current.CancellationToken);
        }
        finally
        {
            session.StateChanged -= OnChange;
        }
    }
}

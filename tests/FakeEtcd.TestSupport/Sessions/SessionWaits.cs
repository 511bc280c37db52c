using Election;

namespace FakeEtcd.TestSupport;

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

    /// <summary>
    /// Polls <paramref name="condition"/> on the wall clock until it holds; fails after
    /// <see cref="RealTimeLimit"/>. For flows that need no virtual time to pass but cross several
    /// thread-pool hops that a settle cannot always see under load.
    /// </summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(RealTimeLimit.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetTimestamp() < deadline, $"timed out waiting until {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System, TestContext.Current.CancellationToken);
        }
    }
}

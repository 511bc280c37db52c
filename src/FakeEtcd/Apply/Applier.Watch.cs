using FakeEtcd.Mvcc;

namespace FakeEtcd.Apply;

/// <summary>The watch half of the apply path: atomic access to history for registering and catching up watchers.</summary>
internal sealed partial class Applier
{
    /// <summary>
    /// Runs <paramref name="action"/> under the apply lock. No revision commits while it runs and
    /// <see cref="Committed"/> handlers run under the same lock, so a watcher can read history up to
    /// the current revision and join live delivery without a gap or a duplicate.
    /// </summary>
    public T WithHistory<T>(Func<CommittedHistory, T> action)
    {
        lock (_gate)
        {
            return action(new CommittedHistory(_store));
        }
    }

    /// <summary>Runs <paramref name="action"/> under the apply lock, as the other overload does, for work with no result.</summary>
    public void WithHistory(Action<CommittedHistory> action)
    {
        lock (_gate)
        {
            action(new CommittedHistory(_store));
        }
    }
}

namespace FakeEtcd.Clock;

/// <summary>What the thread pool is doing: work items queued, completed so far, and workers running one.</summary>
internal readonly record struct PoolSnapshot(long Pending, long Completed, int Busy)
{
    public static PoolSnapshot Read()
    {
        ThreadPool.GetMaxThreads(out var max, out _);
        ThreadPool.GetAvailableThreads(out var available, out _);
        return new PoolSnapshot(ThreadPool.PendingWorkItemCount, ThreadPool.CompletedWorkItemCount, max - available);
    }
}

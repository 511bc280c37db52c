using System.Diagnostics;

namespace FakeEtcd.Tests.Load;

/// <summary>
/// Samples the process every 50 ms while a load runs: peak working set and GC heap, thread-pool
/// threads and queue length, and how late the sampling timer itself fires (a starved thread pool
/// runs timer callbacks late).
/// </summary>
internal sealed class ResourceSampler : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private readonly Process _process = Process.GetCurrentProcess();
    private long _last;

    public ResourceSampler()
    {
        _last = TimeProvider.System.GetTimestamp();
        _timer = TimeProvider.System.CreateTimer(_ => Sample(), null, Interval, Interval);
    }

    public long PeakWorkingSetBytes { get; private set; }

    public long PeakGcHeapBytes { get; private set; }

    public int PeakThreadPoolThreads { get; private set; }

    public long PeakPendingWorkItems { get; private set; }

    public TimeSpan WorstTimerLag { get; private set; }

    public int Samples { get; private set; }

    public void Dispose()
    {
        _timer.Dispose();
        Sample();
        _process.Dispose();
    }

    private void Sample()
    {
        lock (_gate)
        {
            var now = TimeProvider.System.GetTimestamp();
            var lag = TimeProvider.System.GetElapsedTime(_last, now) - Interval;
            _last = now;
            _process.Refresh();
            PeakWorkingSetBytes = Math.Max(PeakWorkingSetBytes, _process.WorkingSet64);
            PeakGcHeapBytes = Math.Max(PeakGcHeapBytes, GC.GetTotalMemory(forceFullCollection: false));
            PeakThreadPoolThreads = Math.Max(PeakThreadPoolThreads, ThreadPool.ThreadCount);
            PeakPendingWorkItems = Math.Max(PeakPendingWorkItems, ThreadPool.PendingWorkItemCount);
            WorstTimerLag = lag > WorstTimerLag ? lag : WorstTimerLag;
            Samples++;
        }
    }
}

namespace Coordinator.Clock;

/// <summary>The wall clock, against any etcd (real etcd included), over the hosted session's own channel.</summary>
internal static class SystemClock
{
    // The program picks the wall clock here; everything below takes it as a TimeProvider.
    public static Task<EtcdConnection> ConnectAsync(IReadOnlyList<Uri> endpoints, CancellationToken cancellationToken) =>
        Task.FromResult(new EtcdConnection(TimeProvider.System, null, NothingToDispose.Instance));
}

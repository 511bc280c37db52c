using EtcdProtocol.Etcdserverpb;

namespace FakeEtcd.Watch;

/// <summary>
/// Sees the life of every watcher: created, each response its stream writes, ended. The simulation
/// records them in its history; without an observer the hub records nothing.
/// </summary>
internal interface IWatchObserver
{
    /// <summary>Under the apply lock, after the created response is queued.</summary>
    void WatchCreated(WatchSession session, long watchId, WatchCreateRequest request, long revision);

    /// <summary>A stream is writing <paramref name="response"/>.</summary>
    void Delivered(WatchSession session, WatchResponse response);

    /// <summary>Under the apply lock, when the watcher is canceled or its stream closes (<paramref name="reason"/>).</summary>
    void WatchEnded(WatchSession session, long watchId, string reason, long revision);
}

using FakeEtcd.Apply;
namespace FakeEtcd.Watch;

/// <summary>
/// One Watch RPC stream (etcd's watchStream): its watchers by id, its id allocator and its outbox.
/// The watcher map and allocator are guarded by the apply lock (the hub changes them only there).
/// </summary>
internal sealed class WatchSession(WatchOutbox outbox)
{
    private long _nextAutoId;

    public WatchOutbox Outbox { get; } = outbox;

    /// <summary>The client that opened the stream (simulation history and faults).</summary>
    public string Client { get; init; } = CallAttribution.Anonymous;

    /// <summary>The stream's name in the simulation history (<c>client#n</c>), if recorded.</summary>
    public string? StreamName { get; init; }

    /// <summary>Every watcher the client has not canceled, compacted ones included (their ids stay taken).</summary>
    public Dictionary<long, Watcher> Watchers { get; } = [];

    /// <summary>Watchers waiting to catch up from history, oldest first.</summary>
    public List<Watcher> Unsynced { get; } = [];

    public bool Closed { get; set; }

    /// <summary>Auto ids count from 0 per stream, skipping ids in use (etcd's watchStream.Watch).</summary>
    public long NextAutoId()
    {
        while (Watchers.ContainsKey(_nextAutoId))
        {
            _nextAutoId++;
        }

        return _nextAutoId++;
    }
}

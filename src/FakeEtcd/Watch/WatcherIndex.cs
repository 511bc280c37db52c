using Google.Protobuf;

namespace FakeEtcd.Watch;

/// <summary>
/// Synced watchers indexed by what they watch (etcd's watcherGroup): single keys in a hash map,
/// ranges in a list scanned per event. Guarded by the apply lock.
/// </summary>
internal sealed class WatcherIndex
{
    private readonly Dictionary<ByteString, List<Watcher>> _byKey = [];
    private readonly List<Watcher> _ranges = [];

    public int Count { get; private set; }

    public void Add(Watcher watcher)
    {
        if (watcher.Range.IsSingleKey)
        {
            if (!_byKey.TryGetValue(watcher.Range.Key, out var list))
            {
                _byKey[watcher.Range.Key] = list = [];
            }

            list.Add(watcher);
        }
        else
        {
            _ranges.Add(watcher);
        }

        Count++;
    }

    public bool Remove(Watcher watcher)
    {
        bool removed;
        if (watcher.Range.IsSingleKey)
        {
            removed = _byKey.TryGetValue(watcher.Range.Key, out var list) && list.Remove(watcher);
            if (removed && list!.Count == 0)
            {
                _byKey.Remove(watcher.Range.Key);
            }
        }
        else
        {
            removed = _ranges.Remove(watcher);
        }

        Count -= removed ? 1 : 0;
        return removed;
    }

    /// <summary>Adds every watcher interested in <paramref name="key"/> to <paramref name="into"/>.</summary>
    public void CollectWatchers(ByteString key, List<Watcher> into)
    {
        if (_byKey.TryGetValue(key, out var list))
        {
            into.AddRange(list);
        }

        foreach (var watcher in _ranges)
        {
            if (watcher.Range.Contains(key))
            {
                into.Add(watcher);
            }
        }
    }
}

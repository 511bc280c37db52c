using Google.Protobuf;

namespace FakeEtcd.Mvcc;

/// <summary>
/// All keys ever written (until compaction removes them), sorted byte-wise so ranges are a
/// binary search plus a contiguous walk.
/// </summary>
internal sealed class KeyIndex
{
    private readonly List<KeyHistory> _keys = [];

    public int Count => _keys.Count;

    /// <summary>Every key's history, in key order.</summary>
    public IReadOnlyList<KeyHistory> All => _keys;

    public KeyHistory? Find(ByteString key)
    {
        var i = LowerBound(key);
        return i < _keys.Count && KeyComparer.CompareKeys(_keys[i].Key, key) == 0 ? _keys[i] : null;
    }

    public KeyHistory GetOrAdd(ByteString key)
    {
        var i = LowerBound(key);
        if (i < _keys.Count && KeyComparer.CompareKeys(_keys[i].Key, key) == 0)
        {
            return _keys[i];
        }

        var history = new KeyHistory(key);
        _keys.Insert(i, history);
        return history;
    }

    /// <summary>The histories of every key inside <paramref name="range"/>, in key order.</summary>
    public IEnumerable<KeyHistory> InRange(KeyRange range)
    {
        if (range.IsSingleKey)
        {
            var single = Find(range.Key);
            if (single is not null)
            {
                yield return single;
            }

            yield break;
        }

        for (var i = LowerBound(range.Key); i < _keys.Count; i++)
        {
            var history = _keys[i];
            if (!range.IsUnboundedAbove && KeyComparer.CompareKeys(history.Key, range.End) >= 0)
            {
                yield break;
            }

            yield return history;
        }
    }

    public void Compact(long compactRevision)
    {
        foreach (var history in _keys)
        {
            history.Compact(compactRevision);
        }

        _keys.RemoveAll(h => h.IsEmpty);
    }

    private int LowerBound(ByteString key)
    {
        int lo = 0, hi = _keys.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (KeyComparer.CompareKeys(_keys[mid].Key, key) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}

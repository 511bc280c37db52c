using EtcdProtocol.Mvccpb;
using Google.Protobuf;

namespace FakeEtcd.Mvcc;

/// <summary>
/// Every revision of one key, oldest first. A <c>null</c> value marks a tombstone (the key was deleted
/// at that revision). Stored <see cref="KeyValue"/> instances are never mutated after they are added,
/// so they can be handed out in responses and events without copying.
/// </summary>
internal sealed class KeyHistory(ByteString key)
{
    private readonly List<KeyVersion> _versions = [];

    public ByteString Key { get; } = key;

    public bool IsEmpty => _versions.Count == 0;

    /// <summary>The live value at the newest revision, or null when the key is deleted or never existed.</summary>
    public KeyValue? Latest => _versions.Count == 0 ? null : _versions[^1].Value;

    /// <summary>The live value as of <paramref name="revision"/>, or null when absent at that revision.</summary>
    public KeyValue? At(long revision)
    {
        // Newest-first scan: the common read is at or near the current revision.
        for (var i = _versions.Count - 1; i >= 0; i--)
        {
            if (_versions[i].Revision <= revision)
            {
                return _versions[i].Value;
            }
        }

        return null;
    }

    /// <summary>Every stored version, oldest first (what etcd's backend holds for this key).</summary>
    public IReadOnlyList<KeyVersion> Versions => _versions;

    /// <summary>Adds the version written at <paramref name="revision"/> as change <paramref name="sub"/> of its transaction.</summary>
    public void Append(long revision, int sub, KeyValue? value) => _versions.Add(new KeyVersion(revision, sub, value));

    /// <summary>Removes the newest version if it was written at <paramref name="revision"/> (transaction undo).</summary>
    public void RemoveNewest(long revision)
    {
        if (_versions.Count > 0 && _versions[^1].Revision == revision)
        {
            _versions.RemoveAt(_versions.Count - 1);
        }
    }

    /// <summary>
    /// Drops versions no reader at or after <paramref name="compactRevision"/> can see: everything
    /// older than the version live at that revision, and that version too when it is a tombstone.
    /// </summary>
    public void Compact(long compactRevision)
    {
        var keepFrom = -1;
        for (var i = _versions.Count - 1; i >= 0; i--)
        {
            if (_versions[i].Revision <= compactRevision)
            {
                keepFrom = _versions[i].Value is null ? i + 1 : i;
                break;
            }
        }

        if (keepFrom > 0)
        {
            _versions.RemoveRange(0, keepFrom);
        }
    }
}

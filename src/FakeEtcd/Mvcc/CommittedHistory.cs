namespace FakeEtcd.Mvcc;

/// <summary>
/// A read-only view of the store's revisions, valid only while the apply lock is held (see
/// <c>Applier.WithHistory</c>): watchers read it to catch up and then join live delivery with no
/// revision committed in between.
/// </summary>
internal readonly struct CommittedHistory(MvccStore store)
{
    public long CurrentRevision => store.CurrentRevision;

    /// <summary>The last compaction revision, or -1 when nothing was compacted.</summary>
    public long CompactRevision => store.CompactRevision;

    /// <summary>Committed revisions with revision ≥ <paramref name="fromRevision"/>, oldest first.</summary>
    public IEnumerable<CommittedRevision> From(long fromRevision) => store.Log.From(fromRevision);
}

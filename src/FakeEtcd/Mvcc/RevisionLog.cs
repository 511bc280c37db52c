namespace FakeEtcd.Mvcc;

/// <summary>
/// Committed revisions in order, kept back to the compaction revision so that watchers can
/// replay history from any uncompacted revision.
/// </summary>
internal sealed class RevisionLog
{
    private readonly List<CommittedRevision> _revisions = [];

    public void Append(CommittedRevision committed) => _revisions.Add(committed);

    /// <summary>The committed revisions with revision ≥ <paramref name="fromRevision"/>, oldest first.</summary>
    public IEnumerable<CommittedRevision> From(long fromRevision)
    {
        for (var i = FirstIndexAtOrAfter(fromRevision); i < _revisions.Count; i++)
        {
            yield return _revisions[i];
        }
    }

    /// <summary>Forgets revisions below <paramref name="compactRevision"/>; that revision itself stays readable.</summary>
    public void Compact(long compactRevision) => _revisions.RemoveRange(0, FirstIndexAtOrAfter(compactRevision));

    private int FirstIndexAtOrAfter(long revision)
    {
        int lo = 0, hi = _revisions.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_revisions[mid].Revision < revision)
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

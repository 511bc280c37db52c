namespace FakeEtcd;

/// <summary>
/// etcd's automatic compaction (<c>--auto-compaction-mode</c> and <c>--auto-compaction-retention</c>),
/// run on the server's clock, so a test advances virtual time to see it.
/// </summary>
public sealed record AutoCompaction
{
    private AutoCompaction(TimeSpan period, long revisions)
    {
        Period = period;
        Revisions = revisions;
    }

    /// <summary>
    /// Periodic mode: keep at least <paramref name="retention"/> of history. As etcd's periodic compactor, it
    /// samples the revision every tenth of the retention (capped at 1 hour), compacts to the revision sampled
    /// one retention ago once the retention has passed, then again every retention (every hour when longer).
    /// </summary>
    public static AutoCompaction Periodic(TimeSpan retention) =>
        retention > TimeSpan.Zero
            ? new AutoCompaction(retention, 0)
            : throw new ArgumentOutOfRangeException(nameof(retention), retention, "the retention must be positive");

    /// <summary>
    /// Revision mode: every 5 minutes, compact to the current revision minus <paramref name="retention"/>
    /// (when that is positive and not the revision compacted last), as etcd's revision compactor.
    /// </summary>
    public static AutoCompaction Revision(long retention) =>
        retention > 0
            ? new AutoCompaction(TimeSpan.Zero, retention)
            : throw new ArgumentOutOfRangeException(nameof(retention), retention, "the retention must be positive");

    /// <summary>The retained period in periodic mode; zero in revision mode.</summary>
    public TimeSpan Period { get; }

    /// <summary>The retained revisions in revision mode; zero in periodic mode.</summary>
    public long Revisions { get; }
}

namespace FakeEtcd.Cluster;

/// <summary>
/// The switches of one <see cref="EtcdCompatibility"/>: the only place that knows how etcd 3.4.23
/// and 3.5 differ. The core reads these flags, never a version string (docs/compatibility.md).
/// </summary>
/// <param name="Version">The release Status reports.</param>
/// <param name="AlarmHasHeader">AlarmResponse carries a response header (etcd#11600, 3.5.0).</param>
/// <param name="ProgressRequestWaitsForSync">
/// A WatchProgressRequest is answered only when the stream has watchers and all are synced
/// (etcd#15695, 3.5.8; #17566, 3.5.13). 3.4.23 answers every one at once.
/// </param>
/// <param name="ProgressWaitsForStartRevision">
/// No progress (requested or ticked) while a watcher's start revision is above the current
/// revision (etcd#20245, 3.5.22).
/// </param>
/// <param name="RejectsNegativeStartRevision">
/// A watch with a negative start revision is rejected as created + canceled with the compacted
/// error (etcd#20709, 3.5.24). 3.4.23 registers it as an unsynced watcher below every revision.
/// </param>
/// <param name="KeepsTombstoneAtCompactRevision">
/// Compaction keeps a delete at exactly the compact revision, so a watch from there sees it
/// (etcd#18089, fixed by #18274 / #18474 in 3.5.16).
/// </param>
/// <param name="MutexChecksKeyAfterWait">
/// The lock server's Mutex re-reads its own key after waiting and fails with "mutex: session is
/// expired" when it is gone (etcd#11408, 3.5.0).
/// </param>
/// <param name="HealthHasReason">
/// <c>/health</c> answers with a <c>"reason"</c> field next to <c>"health"</c> (3.5.0).
/// </param>
internal sealed record EtcdProfile(
    string Version,
    bool AlarmHasHeader,
    bool ProgressRequestWaitsForSync,
    bool ProgressWaitsForStartRevision,
    bool RejectsNegativeStartRevision,
    bool KeepsTombstoneAtCompactRevision,
    bool MutexChecksKeyAfterWait,
    bool HealthHasReason)
{
    public static EtcdProfile Etcd35 { get; } = new("3.5.26", true, true, true, true, true, true, true);

    public static EtcdProfile Etcd34 { get; } = new("3.4.23", false, false, false, false, false, false, false);

    public static EtcdProfile For(EtcdCompatibility compatibility) => compatibility switch
    {
        EtcdCompatibility.Etcd35 => Etcd35,
        EtcdCompatibility.Etcd34 => Etcd34,
        _ => throw new ArgumentOutOfRangeException(nameof(compatibility), compatibility, "expected Etcd35 or Etcd34"),
    };
}

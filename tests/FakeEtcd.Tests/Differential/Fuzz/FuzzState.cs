namespace FakeEtcd.Tests.Differential.Fuzz;

/// <summary>What the generator knows of the reference store so far (taken from etcd's own answers).</summary>
public sealed class FuzzState
{
    /// <summary>Header revision of the latest reference answer (1 on a fresh store).</summary>
    public long CurrentRevision { get; set; } = 1;

    /// <summary>Latest successful compaction revision (0 = none).</summary>
    public long CompactRevision { get; set; }

    /// <summary>Auto-granted leases so far, whether or not the grant succeeded.</summary>
    public int AutoLeaseCount { get; set; }

    /// <summary>Client-chosen lease IDs granted so far.</summary>
    public List<long> ExplicitLeaseIds { get; } = [];

    /// <summary>Watchers the reference created and has not canceled.</summary>
    public int OpenWatchers { get; set; }

    /// <summary>Watch creates sent so far.</summary>
    public int WatchCreates { get; set; }
}

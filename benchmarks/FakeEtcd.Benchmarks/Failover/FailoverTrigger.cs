namespace FakeEtcd.Benchmarks.Failover;

/// <summary>What ends the active's term in a watch-to-activate measurement.</summary>
public enum FailoverTrigger
{
    /// <summary>The active stops gracefully: <c>StopAsync</c> revokes its lease, both its keys vanish in one revision.</summary>
    Revoke,

    /// <summary>An operator deletes the ACTIVE key (the active notices and gives up its lease as well).</summary>
    DeleteKey,
}

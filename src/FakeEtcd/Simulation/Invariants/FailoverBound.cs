namespace FakeEtcd.Simulation.Invariants;

/// <summary>
/// How soon a standby must take over once the active's lease ends: within <see cref="Round"/> of the
/// lease's end (one watch event and one CAS txn), pushed back only by faults that hit that standby — a
/// partition or pause until it heals plus one <see cref="Retry"/>, a failed request or severed stream
/// by one <see cref="Retry"/> after it, a delayed watch by its delay.
/// </summary>
public sealed record FailoverBound
{
    /// <summary>Virtual time one watch event plus one txn may take (zero on FakeEtcd: an RPC takes no virtual time).</summary>
    public TimeSpan Round { get; init; }

    /// <summary>How long the clients wait before retrying a failed call or reopening a broken stream.</summary>
    public TimeSpan Retry { get; init; } = TimeSpan.FromSeconds(1);
}

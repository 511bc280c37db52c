namespace FakeEtcd.Simulation.Faults;

/// <summary>The faults a simulated server can inject.</summary>
public enum FaultKind
{
    /// <summary>End every open stream of the client (or of every client) with Unavailable, as a broken connection does. Instant.</summary>
    SeverStreams,

    /// <summary>The client cannot reach the server: see <see cref="PartitionMode"/>. Heals after <see cref="Fault.Duration"/>.</summary>
    Partition,

    /// <summary>Keepalive requests of the client are read and ignored (no renewal, no answer).</summary>
    DropKeepAlives,

    /// <summary>Keepalive requests of the client reach the server <see cref="Fault.Delay"/> late (renewal and answer then).</summary>
    DelayKeepAlives,

    /// <summary>Watch events for the client are delivered <see cref="Fault.Delay"/> of virtual time after they commit.</summary>
    DelayWatch,

    /// <summary>The <see cref="Fault.Nth"/> matching unary request fails with <see cref="Fault.Error"/>.</summary>
    FailRequest,

    /// <summary>The whole server stops answering (every client hangs, keepalives are dropped, watch events wait) until it heals.</summary>
    PauseServer,

    /// <summary>Compacts the key space at <see cref="Fault.CompactRevision"/> (0: the current revision). Instant.</summary>
    Compact,

    /// <summary>A leader change: raft term + 1, every lease's deadline refreshed to now + election timeout + TTL, as etcd's lessor Promote does. Instant.</summary>
    LeaderChange,
}

/// <summary>How a partitioned client's requests behave.</summary>
public enum PartitionMode
{
    /// <summary>Requests fail at once with Unavailable and open streams are severed (connection refused).</summary>
    Fail,

    /// <summary>Requests hang until the partition heals; keepalives are lost and watch events wait (packets dropped).</summary>
    Hang,
}

/// <summary>The etcd error a <see cref="FaultKind.FailRequest"/> fault answers with.</summary>
public enum InjectedError
{
    /// <summary>Unavailable, "etcdserver: request timed out".</summary>
    RequestTimedOut,

    /// <summary>Unavailable, "etcdserver: leader changed".</summary>
    LeaderChanged,

    /// <summary>Unavailable, "etcdserver: no leader" (the member lost its leader).</summary>
    NoLeader,
}

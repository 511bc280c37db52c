namespace Election;

/// <summary>Why a session's lease is no longer held.</summary>
public enum SessionLossReason
{
    /// <summary>Not lost.</summary>
    None,

    /// <summary>etcd answered that the lease does not exist: a keepalive with TTL 0, or "requested lease not found".</summary>
    LeaseNotFound,

    /// <summary>
    /// No keepalive answer arrived before the deadline: the TTL counted from the send time of the last
    /// answered keepalive, which is the earliest moment etcd may expire the lease.
    /// </summary>
    KeepAliveTimeout,

    /// <summary>Someone else deleted the session's ACTIVE key (an operator, or a tool).</summary>
    ActiveKeyDeleted,
}

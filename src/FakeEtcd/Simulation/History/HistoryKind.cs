namespace FakeEtcd.Simulation.History;

/// <summary>What a <see cref="HistoryEntry"/> records.</summary>
public enum HistoryKind
{
    /// <summary>A unary request arrived (after faults let it through).</summary>
    Request,

    /// <summary>A unary request was answered: its header revision, or its error.</summary>
    Response,

    /// <summary>A revision was committed by the apply path; <see cref="HistoryEntry.Events"/> lists its changes.</summary>
    Commit,

    /// <summary>A lease was granted to a client.</summary>
    LeaseGranted,

    /// <summary>A lease reached its deadline and was revoked by the server.</summary>
    LeaseExpired,

    /// <summary>A client revoked a lease.</summary>
    LeaseRevoked,

    /// <summary>A keepalive was answered (TTL 0: the lease is gone).</summary>
    KeepAlive,

    /// <summary>A keepalive request was dropped by a fault.</summary>
    KeepAliveDropped,

    /// <summary>A stream (watch, keepalive, observe) was opened.</summary>
    StreamOpened,

    /// <summary>A stream was severed by a fault.</summary>
    StreamSevered,

    /// <summary>A watcher was created.</summary>
    WatchCreated,

    /// <summary>A watch response carrying events (or a compaction cancel) was written to a client.</summary>
    WatchDelivered,

    /// <summary>
    /// A watcher ended on the server: canceled by its client, or its stream closed or severed. Recorded
    /// at the end of the virtual instant it happened in, in (stream, watch id) order.
    /// </summary>
    WatchEnded,

    /// <summary>A fault started.</summary>
    FaultStarted,

    /// <summary>A fault healed.</summary>
    FaultHealed,

    /// <summary>A request failed because of a fault.</summary>
    FaultApplied,

    /// <summary>A note from the test or the code under test (e.g. "became active").</summary>
    Note,
}

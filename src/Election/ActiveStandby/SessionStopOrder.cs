namespace Election;

/// <summary>What <see cref="ActiveStandbySession.StopAsync"/> does first: end the active's work, or release its role.</summary>
public enum SessionStopOrder
{
    /// <summary>
    /// The activation's token is cancelled and the activation has returned before the lease is revoked,
    /// so the lease stays the fencing boundary: a standby can take over only after the old active's work
    /// stopped (Milvus #51771). The default.
    /// </summary>
    ActivationFirst,

    /// <summary>
    /// The revoke goes out first and the activation is cancelled meanwhile: the takeover comes sooner by
    /// however long the activation takes to wind down, but the old active's work can still run while the
    /// new active starts (two actives on shutdown, Milvus #51769). Use it only when every write of the
    /// active's work is fenced by itself, e.g. guarded by <see cref="ActiveStandbySession.Epoch"/>.
    /// </summary>
    RevokeFirst,
}

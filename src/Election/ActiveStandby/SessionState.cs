namespace Election;

/// <summary>Where an <see cref="ActiveStandbySession"/> is in its life.</summary>
public enum SessionState
{
    /// <summary>Registered, waiting for the ACTIVE key (Milvus StateCode StandBy).</summary>
    Standby,

    /// <summary>Holds the ACTIVE key; <see cref="ActiveStandbySession.Epoch"/> is set.</summary>
    Active,

    /// <summary>The lease is gone (expired, not found, keepalive deadline passed, or the ACTIVE key was deleted). Final.</summary>
    Lost,

    /// <summary>Stopped on purpose; the lease was revoked. Final.</summary>
    Stopped,
}

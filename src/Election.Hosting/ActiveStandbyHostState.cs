namespace Election.Hosting;

/// <summary>Where the hosted session is in its life.</summary>
public enum ActiveStandbyHostState
{
    /// <summary>The host started; the session is not registered yet (register tries run here).</summary>
    Registering,

    /// <summary>Registered, waiting for the ACTIVE key.</summary>
    Standby,

    /// <summary>Holds the ACTIVE key; the activation was started.</summary>
    Active,

    /// <summary>The session's lease was lost. Final.</summary>
    Lost,

    /// <summary>The host stopped the session; its lease was revoked. Final.</summary>
    Stopped,

    /// <summary>Registration was refused, or the activation threw. Final; see <see cref="ActiveStandbyStatus.Failure"/>.</summary>
    Failed,
}

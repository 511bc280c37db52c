namespace Election.Hosting;

/// <summary>
/// What the process does once it holds the ACTIVE key (Milvus's <c>activateFunc</c>), resolved from
/// the host's services in a scope of its own that lives as long as the activation.
/// </summary>
public interface IActiveStandbyActivation
{
    /// <summary>
    /// Starts the active's work. Either return once it is started, or run it until
    /// <paramref name="stopping"/> is cancelled (the host stops, or the session is lost): a graceful stop
    /// waits for this method to return before it revokes the lease, so a standby starts only after.
    /// Throwing stops the session (revoking its lease) and the application.
    /// </summary>
    Task ActivateAsync(CancellationToken stopping);
}

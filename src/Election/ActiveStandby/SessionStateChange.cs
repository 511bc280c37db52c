namespace Election;

/// <summary>One state transition of an <see cref="ActiveStandbySession"/>.</summary>
/// <param name="Previous">The state before.</param>
/// <param name="Current">The state now.</param>
/// <param name="At">When it happened, on the session's <see cref="TimeProvider"/>.</param>
/// <param name="LossReason">Why the lease was lost, when <paramref name="Current"/> is <see cref="SessionState.Lost"/>.</param>
public sealed record SessionStateChange(SessionState Previous, SessionState Current, DateTimeOffset At, SessionLossReason LossReason);

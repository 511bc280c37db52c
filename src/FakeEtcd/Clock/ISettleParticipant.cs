namespace FakeEtcd.Clock;

/// <summary>
/// Work outside what <see cref="ActivityTracker"/> counts that a settle must also wait for: clock
/// followers in other processes. A settle first waits for the tracked work, then asks the participant,
/// and repeats until neither has anything left.
/// </summary>
internal interface ISettleParticipant
{
    /// <summary>Whether there is anyone to ask; a settle skips the participant when there is not.</summary>
    bool IsEmpty { get; }

    /// <summary>
    /// Tells everyone the clock's <paramref name="now"/> and waits until they report their work done.
    /// </summary>
    /// <returns>Whether anyone did anything since the last time they were asked.</returns>
    Task<bool> SettleAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

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
    /// Whether anyone may have something to react to at <paramref name="now"/>: an instant it has not
    /// been told, a timer due, messages it has not read, or messages of its the server has not read.
    /// </summary>
    bool NeedsTick(DateTimeOffset now);

    /// <summary>Tells those who need it the clock's <paramref name="now"/> and waits until they report their work done.</summary>
    Task TickAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

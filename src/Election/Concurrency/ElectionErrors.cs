namespace Election;

/// <summary>Errors of elections and mutexes, with the Go package's messages.</summary>
public sealed class ElectionException : Exception
{
    /// <summary>Go's <c>ErrElectionNotLeader</c>.</summary>
    public const string NotLeaderMessage = "election: not leader";

    /// <summary>Go's <c>ErrElectionNoLeader</c>.</summary>
    public const string NoLeaderMessage = "election: no leader";

    /// <summary>Go's <c>ErrSessionExpired</c> from <c>Mutex.Lock</c>.</summary>
    public const string SessionExpiredMessage = "mutex: session is expired";

    /// <summary>Go's <c>ErrCompacted</c> seen by a waiter.</summary>
    public const string CompactedMessage = "mvcc: required revision has been compacted";

    /// <summary>Creates the exception.</summary>
    public ElectionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ElectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ElectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

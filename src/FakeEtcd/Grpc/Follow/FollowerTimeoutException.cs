namespace FakeEtcd;

/// <summary>
/// A clock follower in another process did not report its work done within the server's follower
/// timeout. The advance stops at the instant it had reached; the follower is disconnected, so the
/// next advance goes on without it.
/// </summary>
public sealed class FollowerTimeoutException : TimeoutException
{
    /// <summary>Creates the exception with its message.</summary>
    public FollowerTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public FollowerTimeoutException()
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public FollowerTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

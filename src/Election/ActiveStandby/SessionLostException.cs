namespace Election;

/// <summary>The session's lease was lost; the session cannot become or stay active.</summary>
public sealed class SessionLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionLostException()
        : this(SessionLossReason.None)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SessionLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public SessionLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a reason.</summary>
    public SessionLostException(SessionLossReason reason)
        : base($"session lost: {reason}") => Reason = reason;

    /// <summary>Why the lease was lost.</summary>
    public SessionLossReason Reason { get; }
}

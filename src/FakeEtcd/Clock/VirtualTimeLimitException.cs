namespace FakeEtcd;

/// <summary>A <see cref="VirtualClock.RunUntilAsync"/> condition did not hold within its virtual time limit.</summary>
public sealed class VirtualTimeLimitException : TimeoutException
{
    /// <summary>Creates the exception for <paramref name="limit"/>, appending <paramref name="history"/> if given.</summary>
    public VirtualTimeLimitException(TimeSpan limit, string? history)
        : base($"condition not met within {limit} of virtual time" + (history is null ? string.Empty : "\nhistory:\n" + history))
    {
        Limit = limit;
    }

    /// <summary>Creates the exception with a message.</summary>
    public VirtualTimeLimitException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public VirtualTimeLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public VirtualTimeLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The virtual time limit that passed.</summary>
    public TimeSpan Limit { get; }
}

using Microsoft.Extensions.Logging;

namespace Election.Hosting;

/// <summary>The hosted session's own lines; the session logs Milvus's lines itself.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "{Role} session lost ({Reason}): stopping the application")]
    public static partial void LostStopping(ILogger logger, string role, SessionLossReason reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "{Role} session lost ({Reason}); the application goes on (StopApplicationOnLoss is off)")]
    public static partial void LostContinuing(ILogger logger, string role, SessionLossReason reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Critical, Message = "{Role} could not register its session: stopping the application")]
    public static partial void RegisterFailed(ILogger logger, string role, Exception exception);

    [LoggerMessage(EventId = 104, Level = LogLevel.Critical, Message = "{Role} activation failed: stopping the application")]
    public static partial void ActivationFailed(ILogger logger, string role, Exception exception);

    [LoggerMessage(EventId = 105, Level = LogLevel.Critical, Message = "{Role} active-standby race failed: stopping the application")]
    public static partial void RaceFailed(ILogger logger, string role, Exception exception);
}

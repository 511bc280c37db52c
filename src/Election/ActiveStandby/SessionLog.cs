using Microsoft.Extensions.Logging;

namespace Election;

/// <summary>
/// Milvus's log lines for the same moments (sessionutil <c>ProcessActiveStandBy</c>, <c>LivenessCheck</c>),
/// structured with ServerName and ServerID so they can be filtered per process.
/// </summary>
internal static partial class SessionLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "serverName: {ServerName} enter STANDBY mode, ServerID: {ServerId}")]
    public static partial void EnterStandby(ILogger logger, string serverName, long serverId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "serverName: {ServerName} is in STANDBY ..., ServerID: {ServerId}")]
    public static partial void IsInStandby(ILogger logger, string serverName, long serverId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "try to register as ACTIVE {ServerName} service..., ServerID: {ServerId}")]
    public static partial void TryRegisterActive(ILogger logger, string serverName, long serverId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "register ACTIVE {ServerName}, ServerID: {ServerId}, revision: {Epoch}")]
    public static partial void RegisterActive(ILogger logger, string serverName, long serverId, long epoch);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "ACTIVE {ServerName} has already been registered, ServerID: {ServerId}")]
    public static partial void AlreadyRegistered(ILogger logger, string serverName, long serverId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{ServerName} start to watch ACTIVE key {ActiveKey} from revision {Revision}, ServerID: {ServerId}")]
    public static partial void StartWatching(ILogger logger, string serverName, string activeKey, long revision, long serverId);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "stop watching ACTIVE key {ActiveKey}: {What}, ServerName: {ServerName}, ServerID: {ServerId}")]
    public static partial void StopWatching(ILogger logger, string activeKey, string what, string serverName, long serverId);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "serverName: {ServerName} quit STANDBY mode, this node will become ACTIVE, ID: {ServerId}")]
    public static partial void QuitStandby(ILogger logger, string serverName, long serverId);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "lost session: {ServerName}, ServerID: {ServerId}, reason: {Reason}")]
    public static partial void LostSession(ILogger logger, string serverName, long serverId, SessionLossReason reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "session stopped: {ServerName}, ServerID: {ServerId}")]
    public static partial void Stopped(ILogger logger, string serverName, long serverId);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "register ACTIVE {ServerName} failed, retrying: {Error}, ServerID: {ServerId}")]
    public static partial void RegisterActiveFailed(ILogger logger, string serverName, string error, long serverId);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "service registered: {Key}, ServerName: {ServerName}, ServerID: {ServerId}, lease: {LeaseId:x}")]
    public static partial void Registered(ILogger logger, string key, string serverName, long serverId, long leaseId);

    [LoggerMessage(EventId = 13, Level = LogLevel.Error, Message = "activation of {ServerName} failed, ServerID: {ServerId}")]
    public static partial void ActivateFailed(ILogger logger, Exception error, string serverName, long serverId);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "session key is deleted: {ActiveKey}, ServerName: {ServerName}, ServerID: {ServerId}")]
    public static partial void ActiveKeyDeleted(ILogger logger, string activeKey, string serverName, long serverId);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "liveness watch of {ActiveKey} failed, re-checking: {Error}")]
    public static partial void LivenessWatchFailed(ILogger logger, string activeKey, string error);
}

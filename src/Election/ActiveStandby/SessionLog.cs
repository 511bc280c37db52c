using Microsoft.Extensions.Logging;

namespace Election;

/// <summary>
/// Milvus's log lines for the same moments (sessionutil <c>ProcessActiveStandBy</c>, <c>LivenessCheck</c>).
/// The ProcessActiveStandBy messages are Milvus 2.5's exact text (session_util.go at 9ce3e3cb44, the last
/// commit with a separate rootcoord); values Milvus attaches as zap fields, and a few this library adds,
/// are parameters the message does not mention, so they reach a logger as structured state only (a
/// Milvus-format logger prints them as <c>[name=value]</c>). Every line is also inside the session's
/// ServerName/ServerID scope, for filtering per process.
/// </summary>
// SYSLIB1015 flags exactly those unmentioned parameters; they are intended.
#pragma warning disable SYSLIB1015
internal static partial class SessionLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "serverName: {ServerName} enter STANDBY mode")]
    public static partial void EnterStandby(ILogger logger, string serverName);

    // Milvus logs this at Debug; Information keeps the 10 s heartbeat visible at the usual minimum level.
    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "serverName: {ServerName} is in STANDBY ...")]
    public static partial void IsInStandby(ILogger logger, string serverName);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "try to register as ACTIVE {ServerName} service...")]
    public static partial void TryRegisterActive(ILogger logger, string serverName);

    // revision: The winning txn's revision, the session's Epoch (Milvus 2.6 adds the same field).
    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "register ACTIVE {ServerName}")]
    public static partial void RegisterActive(ILogger logger, string serverName, long revision);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "ACTIVE {ServerName} has already been registered")]
    public static partial void AlreadyRegistered(ILogger logger, string serverName);

    // revision: Where the watch starts (this library's addition: Milvus does not log it).
    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{ServerName} start to watch ACTIVE key {ActiveKey}")]
    public static partial void StartWatching(ILogger logger, string serverName, string activeKey, long revision);

    // reason: What ended the wait (this library's addition: Milvus does not log it).
    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "stop watching ACTIVE key {ActiveKey}")]
    public static partial void StopWatching(ILogger logger, string activeKey, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "serverName: {ServerName} quit STANDBY mode, this node will become ACTIVE, ID: {ServerId}")]
    public static partial void QuitStandby(ILogger logger, string serverName, long serverId);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "lost session: {ServerName}, ServerID: {ServerId}, reason: {Reason}")]
    public static partial void LostSession(ILogger logger, string serverName, long serverId, SessionLossReason reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "session stopped: {ServerName}, ServerID: {ServerId}")]
    public static partial void Stopped(ILogger logger, string serverName, long serverId);

    // error: The failed call's message (Milvus: zap.Error, key "error"). Milvus logs this at Error; it is retried, so Warning.
    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "register active key to etcd failed")]
    public static partial void RegisterActiveFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "service registered: {Key}, ServerName: {ServerName}, ServerID: {ServerId}, lease: {LeaseId:x}")]
    public static partial void Registered(ILogger logger, string key, string serverName, long serverId, long leaseId);

    [LoggerMessage(EventId = 13, Level = LogLevel.Error, Message = "activation of {ServerName} failed, ServerID: {ServerId}")]
    public static partial void ActivateFailed(ILogger logger, Exception error, string serverName, long serverId);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "session key is deleted: {ActiveKey}, ServerName: {ServerName}, ServerID: {ServerId}")]
    public static partial void ActiveKeyDeleted(ILogger logger, string activeKey, string serverName, long serverId);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "liveness watch of {ActiveKey} failed, re-checking: {Error}")]
    public static partial void LivenessWatchFailed(ILogger logger, string activeKey, string error);

    // ADD: The PUT's key-value in Go's protobuf text form, as Milvus's zap field of that name.
    [LoggerMessage(EventId = 16, Level = LogLevel.Debug, Message = "watch the ACTIVE key")]
    public static partial void WatchedPut(ILogger logger, string ADD);

    // DELETE: The DELETE's key-value in Go's protobuf text form, as Milvus's zap field of that name.
    [LoggerMessage(EventId = 17, Level = LogLevel.Debug, Message = "watch the ACTIVE key")]
    public static partial void WatchedDelete(ILogger logger, string DELETE);

    // Milvus retries registerFn silently and logs the last error; each failed try is worth a line here.
    [LoggerMessage(EventId = 18, Level = LogLevel.Warning, Message = "register {ServerName} session failed, try {Attempt} of {Attempts}: {Error}")]
    public static partial void RegisterFailed(ILogger logger, string serverName, int attempt, int attempts, string error);

    [LoggerMessage(EventId = 19, Level = LogLevel.Information, Message = "find old session is same as current node, assume it as restart, purge old session: {Key}, address: {Address}")]
    public static partial void PurgeOldSession(ILogger logger, string key, string address);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "session is going to stop: {Key}, ServerName: {ServerName}, ServerID: {ServerId}")]
    public static partial void GoingStop(ILogger logger, string key, string serverName, long serverId);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "force register ACTIVE {ServerName}: revoking the holder's lease {LeaseId:x}")]
    public static partial void ForceActive(ILogger logger, string serverName, long leaseId);
}

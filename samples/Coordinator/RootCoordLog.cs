using Microsoft.Extensions.Logging;

namespace Coordinator;

/// <summary>The lines Milvus 2.5's rootcoord (internal/rootcoord/root_coord.go) prints around active-standby.</summary>
// SYSLIB1015: parameters the message does not mention are Milvus's zap fields, printed as [name=value].
#pragma warning disable SYSLIB1015
internal static partial class RootCoordLog
{
    /// <summary>The logger category of these lines.</summary>
    public const string Category = "Coordinator.RootCoord";

    private static readonly EventId DisconnectedEvent = new(5, nameof(Disconnected));

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "RootCoord enter standby mode successfully")]
    public static partial void EnterStandbyMode(ILogger logger);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "RootCoord switch from standby to active, activating")]
    public static partial void Activating(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "RootCoord startup success")]
    public static partial void StartupSuccess(ILogger logger, string address);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "RootCoord Register Finished")]
    public static partial void RegisterFinished(ILogger logger);

    /// <summary>Milvus's field is named "Server Id", which no parameter can be, so this one passes its fields itself.</summary>
    public static void Disconnected(ILogger logger, long serverId) =>
        logger.Log(LogLevel.Error, DisconnectedEvent, new KeyValuePair<string, object?>[] { new("Server Id", serverId) }, null, static (_, _) => "Root Coord disconnected from etcd, process will exit");

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "failed to activate standby rootcoord server")]
    public static partial void ActivateFailed(ILogger logger, Exception error);
}

using Election;
using Microsoft.Extensions.Logging;

namespace Coordinator.Logging;

/// <summary>
/// The caller part of a line: for a line whose text is Milvus's, the Go file and line that print it in
/// Milvus 2.5 (commit 9ce3e3cb44, the last with a separate rootcoord), as zap's trimmed caller
/// <c>package/file.go:line</c>; for this port's own lines, the .NET category and event name.
/// </summary>
internal static class MilvusCallers
{
    private const string SessionUtil = "sessionutil/session_util.go:";
    private const string RootCoordGo = "rootcoord/root_coord.go:";

    private static readonly string SessionCategory = typeof(ActiveStandbySession).FullName!;

    private static readonly Dictionary<(string Category, string Event), string> Known = new()
    {
        [(SessionCategory, "TryRegisterActive")] = SessionUtil + "1065",
        [(SessionCategory, "RegisterActiveFailed")] = SessionUtil + "1078",
        [(SessionCategory, "RegisterActive")] = SessionUtil + "1083",
        [(SessionCategory, "AlreadyRegistered")] = SessionUtil + "1085",
        [(SessionCategory, "EnterStandby")] = SessionUtil + "1091",
        [(SessionCategory, "IsInStandby")] = SessionUtil + "1094",
        [(SessionCategory, "StartWatching")] = SessionUtil + "1108",
        [(SessionCategory, "WatchedPut")] = SessionUtil + "1124",
        [(SessionCategory, "WatchedDelete")] = SessionUtil + "1126",
        [(SessionCategory, "StopWatching")] = SessionUtil + "1132",
        [(SessionCategory, "QuitStandby")] = SessionUtil + "1136",
        [(RootCoordLog.Category, nameof(RootCoordLog.RegisterFinished))] = RootCoordGo + "288",
        [(RootCoordLog.Category, nameof(RootCoordLog.Disconnected))] = RootCoordGo + "290",
        [(RootCoordLog.Category, nameof(RootCoordLog.ActivateFailed))] = RootCoordGo + "297",
        [(RootCoordLog.Category, nameof(RootCoordLog.Activating))] = RootCoordGo + "541",
        [(RootCoordLog.Category, nameof(RootCoordLog.StartupSuccess))] = RootCoordGo + "557",
        [(RootCoordLog.Category, nameof(RootCoordLog.EnterStandbyMode))] = RootCoordGo + "561",
    };

    public static string For(string category, EventId eventId)
    {
        var name = eventId.Name ?? eventId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Known.TryGetValue((category, name), out var caller) ? caller : category + ":" + name;
    }
}

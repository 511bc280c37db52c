using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Coordinator;

/// <summary>
/// Milvus's settings, read from the environment names Milvus maps onto its milvus.yaml keys, with
/// Milvus's defaults.
/// </summary>
internal sealed record CoordinatorSettings
{
    /// <summary>etcd.endpoints (ETCD_ENDPOINTS).</summary>
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    /// <summary>rootCoord.enableActiveStandby (ROOT_COORD_ENABLE_ACTIVE_STANDBY), default false.</summary>
    public required bool EnableActiveStandby { get; init; }

    /// <summary>common.session.ttl (COMMON_SESSION_TTL), whole seconds, default 60.</summary>
    public required TimeSpan SessionTtl { get; init; }

    /// <summary>etcd.rootPath/etcd.metaSubPath (ETCD_ROOT_PATH, ETCD_META_SUB_PATH): by-dev/meta.</summary>
    public required string MetaRoot { get; init; }

    /// <summary>rootCoord.address (ROOT_COORD_ADDRESS, host:port as Milvus's docker-compose example writes it), stored in the session value.</summary>
    public required string Address { get; init; }

    /// <summary>log.level (LOG_LEVEL): Milvus's default is info; this demo's is debug, so the walkthrough's DEBUG lines show.</summary>
    public required LogLevel LogLevel { get; init; }

    /// <summary>Reads and checks every setting; throws <see cref="SettingsException"/> naming the first bad one.</summary>
    public static CoordinatorSettings FromEnvironment(Func<string, string?> environment)
    {
        string Get(string name, string fallback) => environment(name) is { Length: > 0 } value ? value : fallback;

        return new CoordinatorSettings
        {
            Endpoints = EtcdEndpoints.Parse(Get("ETCD_ENDPOINTS", EtcdEndpoints.Default)),
            EnableActiveStandby = ParseBool("ROOT_COORD_ENABLE_ACTIVE_STANDBY", Get("ROOT_COORD_ENABLE_ACTIVE_STANDBY", "false")),
            SessionTtl = ParseTtl(Get("COMMON_SESSION_TTL", "60")),
            MetaRoot = Get("ETCD_ROOT_PATH", "by-dev").TrimEnd('/') + "/" + Get("ETCD_META_SUB_PATH", "meta").Trim('/'),
            Address = Get("ROOT_COORD_ADDRESS", "localhost:53100"),
            LogLevel = ParseLevel(Get("LOG_LEVEL", "debug")),
        };
    }

    /// <summary>Go's strconv.ParseBool, which Milvus's paramtable uses.</summary>
    private static bool ParseBool(string name, string value) => value switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw new SettingsException($"{name} must be true or false, not '{value}'"),
    };

    private static TimeSpan ParseTtl(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= int.MaxValue
            ? TimeSpan.FromSeconds(seconds)
            : throw new SettingsException($"COMMON_SESSION_TTL must be a whole number of seconds, at least 1, not '{value}'");

    private static LogLevel ParseLevel(string value) => value.ToLowerInvariant() switch
    {
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => throw new SettingsException($"LOG_LEVEL must be debug, info, warn or error, not '{value}'"),
    };
}

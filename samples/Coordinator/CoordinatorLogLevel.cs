using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Coordinator;

/// <summary>log.level (LOG_LEVEL): Milvus's default is info; this demo's is debug, so the walkthrough's DEBUG lines show.</summary>
internal static class CoordinatorLogLevel
{
    public const string Name = "LOG_LEVEL";

    /// <exception cref="SettingsException">The value is not one of Milvus's levels.</exception>
    public static LogLevel FromConfiguration(IConfiguration settings) => settings[Name] switch
    {
        null or "" => LogLevel.Debug,
        { } value => value.ToLowerInvariant() switch
        {
            "debug" => LogLevel.Debug,
            "info" => LogLevel.Information,
            "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => throw new SettingsException($"log.level ({Name}) must be debug, info, warn or error, not '{value}'"),
        },
    };
}

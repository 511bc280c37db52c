using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Google.Protobuf;

namespace Election;

/// <summary>
/// The session value Milvus stores under both keys, as Go's encoding/json writes the chosen
/// generation's <c>Session</c> (<see cref="SessionValueLayout"/>): field order and omitempty rules as its
/// tags say, so Milvus tools read what we write.
/// </summary>
internal static partial class SessionValue
{
    // As Go writes strings: non-ASCII and '+' (a semver's build part) as they are, not \u-escaped.
    private static readonly JsonWriterOptions Go = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static ByteString Encode(long serverId, SessionOptions options, bool exclusive, long leaseId, bool stopping = false)
    {
        var layout = options.ValueLayout;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Go))
        {
            json.WriteStartObject();
            if (serverId != 0)
            {
                json.WriteNumber("ServerID", serverId);
            }

            WriteIfNotEmpty(json, "ServerName", options.ServerName);
            WriteIfNotEmpty(json, "Address", options.Address);
            if (exclusive)
            {
                json.WriteBoolean("Exclusive", true);
            }

            if (stopping)
            {
                json.WriteBoolean("Stopping", true);
            }

            // TriggerKill has no json tag in Milvus, so it is always written (coordinators set it).
            json.WriteBoolean("TriggerKill", true);
            json.WriteString("Version", options.Version);
            if (layout != SessionValueLayout.Milvus22)
            {
                // Structs: omitempty never leaves them out.
                WriteEmptyObject(json, "IndexEngineVersion");
                if (layout == SessionValueLayout.Milvus25)
                {
                    WriteEmptyObject(json, "ScalarIndexEngineVersion");
                }

                if (leaseId != 0)
                {
                    json.WriteNumber("LeaseID", leaseId);
                }

                WriteIfNotEmpty(json, "HostName", options.HostName);
            }

            json.WriteEndObject();
        }

        return ByteString.CopyFrom(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>What blang/semver's Parse accepts, which Milvus uses on every session it reads.</summary>
    public static bool IsSemVer(string? version) => version is not null && SemVer().IsMatch(version);

    private static void WriteIfNotEmpty(Utf8JsonWriter json, string name, string value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteEmptyObject(Utf8JsonWriter json, string name)
    {
        json.WriteStartObject(name);
        json.WriteEndObject();
    }

    // semver.org 2.0's grammar: no leading zeros in numeric parts, dot-separated alphanumeric identifiers.
    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SemVer();
}

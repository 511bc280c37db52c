using System.Text.Json;
using Google.Protobuf;

namespace Election;

/// <summary>
/// The session value Milvus stores under both keys (<c>SessionRaw</c>, 2.3 layout): field order and
/// omitempty rules as Go's encoding/json writes them, so Milvus tools can read what we write.
/// </summary>
internal static class SessionValue
{
    public static ByteString Encode(long serverId, SessionOptions options, bool exclusive, long leaseId, bool stopping = false)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
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

            // TriggerKill has no json tag in Milvus, so it is always written.
            json.WriteBoolean("TriggerKill", true);
            json.WriteString("Version", options.Version);
            json.WriteStartObject("IndexEngineVersion");
            json.WriteEndObject();
            json.WriteStartObject("ScalarIndexEngineVersion");
            json.WriteEndObject();
            if (leaseId != 0)
            {
                json.WriteNumber("LeaseID", leaseId);
            }

            WriteIfNotEmpty(json, "HostName", options.HostName);
            json.WriteEndObject();
        }

        return ByteString.CopyFrom(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteIfNotEmpty(Utf8JsonWriter json, string name, string value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json.WriteString(name, value);
        }
    }
}

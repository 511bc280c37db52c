using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace FakeEtcd.Hosting.Logging;

/// <summary>
/// Writes log lines as etcd does (<c>--logger</c>, <c>--log-level</c>, <c>--log-outputs</c>): zap's JSON
/// lines with its field names, or capnslog's text lines, to each output, one whole line at a time.
/// Timestamps are wall time, as etcd's are, also when the server runs on a virtual clock.
/// </summary>
internal sealed class EtcdLog(EtcdLogFormat format, LogLevel minimum, IReadOnlyList<TextWriter> outputs, TimeProvider wall)
{
    private readonly Lock _gate = new();

    public LogLevel Minimum => minimum;

    public bool IsEnabled(LogLevel level) => level != LogLevel.None && level >= minimum;

    /// <summary>One line: <paramref name="caller"/> is zap's caller (capnslog's package), <paramref name="fields"/> zap's fields.</summary>
    public void Write(LogLevel level, string caller, string message, IReadOnlyList<KeyValuePair<string, object?>>? fields = null)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var line = format == EtcdLogFormat.Zap ? Zap(level, caller, message, fields) : Capnslog(level, caller, message, fields);
        lock (_gate)
        {
            foreach (var output in outputs)
            {
                output.WriteLine(line);
                output.Flush();
            }
        }
    }

    private string Zap(LogLevel level, string caller, string message, IReadOnlyList<KeyValuePair<string, object?>>? fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("level", ZapLevel(level));
            json.WriteString("ts", wall.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("caller", caller);
            json.WriteString("msg", message);
            foreach (var (key, value) in fields ?? [])
            {
                json.WritePropertyName(key);
                WriteValue(json, value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int or long:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case IEnumerable<string> many:
                json.WriteStartArray();
                foreach (var item in many)
                {
                    json.WriteStringValue(item);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private string Capnslog(LogLevel level, string caller, string message, IReadOnlyList<KeyValuePair<string, object?>>? fields)
    {
        var text = new StringBuilder()
            .Append(wall.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture))
            .Append(' ').Append(CapnslogLevel(level)).Append(" | ").Append(caller).Append(": ").Append(message);
        foreach (var (key, value) in fields ?? [])
        {
            text.Append(' ').Append(key).Append('=').Append(value is IEnumerable<string> many ? string.Join(',', many) : Convert.ToString(value, CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static string ZapLevel(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "fatal",
    };

    private static char CapnslogLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => 'T',
        LogLevel.Debug => 'D',
        LogLevel.Information => 'I',
        LogLevel.Warning => 'W',
        LogLevel.Error => 'E',
        _ => 'C',
    };
}

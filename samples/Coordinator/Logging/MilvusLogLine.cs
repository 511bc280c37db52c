using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Coordinator.Logging;

/// <summary>
/// One line as Milvus writes it: its pkg/log text encoder (pingcap/log's, over zap) prints
/// <c>[time] [LEVEL] [caller] [message]</c> and then each zap field as <c>[key=value]</c>. A string (message,
/// key or value) is double-quoted only if it holds a byte up to space or one of <c>\ " [ ] =</c>, and then
/// JSON-escaped.
/// </summary>
internal static class MilvusLogLine
{
    /// <summary>Go's layout "2006/01/02 15:04:05.000 -07:00" (UTC prints as +00:00).</summary>
    private const string TimeLayout = "yyyy/MM/dd HH:mm:ss.fff zzz";

    /// <summary>The line, without the line ending (Milvus ends each with "\n").</summary>
    public static string Format(DateTimeOffset time, LogLevel level, string caller, string message, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var line = new StringBuilder(160);
        line.Append('[').Append(time.ToString(TimeLayout, CultureInfo.InvariantCulture)).Append(']');
        line.Append(" [").Append(LevelName(level)).Append(']');
        line.Append(" [");
        AppendString(line, caller);
        line.Append(']');
        if (message.Length > 0)
        {
            line.Append(" [");
            AppendString(line, message);
            line.Append(']');
        }

        foreach (var (key, value) in fields)
        {
            line.Append(" [");
            AppendString(line, key);
            line.Append('=');
            AppendValue(line, value);
            line.Append(']');
        }

        return line.ToString();
    }

    /// <summary>zap's capital level names; zap has no trace level, and Critical is its FATAL.</summary>
    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        _ => "FATAL",
    };

    private static void AppendValue(StringBuilder line, object? value)
    {
        switch (value)
        {
            case null:
                line.Append("null");
                break;
            case bool b:
                line.Append(b ? "true" : "false");
                break;
            case sbyte or byte or short or ushort or int or uint or long or ulong:
                line.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            case double d when double.IsNaN(d):
                line.Append("NaN");
                break;
            case double d when double.IsInfinity(d):
                line.Append(d > 0 ? "+Inf" : "-Inf");
                break;
            case double or float:
                line.Append(((IFormattable)value).ToString("R", CultureInfo.InvariantCulture));
                break;
            default:
                AppendString(line, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
                break;
        }
    }

    private static void AppendString(StringBuilder line, string s)
    {
        var quoted = NeedsQuotes(s);
        if (quoted)
        {
            line.Append('"');
        }

        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '\\' or '"':
                    line.Append('\\').Append(c);
                    break;
                case '\n':
                    line.Append("\\n");
                    break;
                case '\r':
                    line.Append("\\r");
                    break;
                case '\t':
                    line.Append("\\t");
                    break;
                case < ' ':
                    line.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                case var _ when char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]):
                    line.Append(c).Append(s[++i]);
                    break;

                // A lone surrogate is the UTF-16 form of Go's invalid UTF-8 byte, which zap writes as \ufffd.
                case var _ when char.IsSurrogate(c):
                    line.Append("\\ufffd");
                    break;
                default:
                    line.Append(c);
                    break;
            }
        }

        if (quoted)
        {
            line.Append('"');
        }
    }

    private static bool NeedsQuotes(string s)
    {
        foreach (var c in s)
        {
            if (c <= ' ' || c is '\\' or '"' or '[' or ']' or '=')
            {
                return true;
            }
        }

        return false;
    }
}

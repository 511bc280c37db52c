using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// Protobuf text-format-like dump, one field per line, bytes shown as escaped text: etcd keys and
/// values are mostly ASCII, which JSON's base64 would hide in a failure message.
/// </summary>
public static class ProtoText
{
    public static string Format(IMessage message)
    {
        var sb = new StringBuilder();
        Write(sb, message, 0);
        return sb.ToString().TrimEnd('\n');
    }

    private static void Write(StringBuilder sb, IMessage message, int depth)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                foreach (var item in (IList)value)
                {
                    WriteValue(sb, field, item, depth);
                }
            }
            else if (IsPresent(field, message, value))
            {
                WriteValue(sb, field, value, depth);
            }
        }
    }

    private static bool IsPresent(FieldDescriptor field, IMessage message, object? value)
    {
        if (field.HasPresence)
        {
            return field.Accessor.HasValue(message);
        }

        return value switch
        {
            null => false,
            ByteString b => !b.IsEmpty,
            string s => s.Length != 0,
            bool b => b,
            Enum e => Convert.ToInt32(e, CultureInfo.InvariantCulture) != 0,
            IConvertible c => c.ToDecimal(CultureInfo.InvariantCulture) != 0,
            _ => true,
        };
    }

    private static void WriteValue(StringBuilder sb, FieldDescriptor field, object? value, int depth)
    {
        var indent = new string(' ', depth * 2);
        if (value is IMessage nested)
        {
            sb.Append(indent).Append(field.Name).Append(" {\n");
            Write(sb, nested, depth + 1);
            sb.Append(indent).Append("}\n");
            return;
        }

        sb.Append(indent).Append(field.Name).Append(": ").Append(Scalar(value)).Append('\n');
    }

    private static string Scalar(object? value) => value switch
    {
        ByteString b => Quote(b.Span),
        string s => Quote(Encoding.UTF8.GetBytes(s)),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "null",
    };

    private static string Quote(ReadOnlySpan<byte> bytes)
    {
        // Long values (request-too-large tests) would flood the message: show length, a head and a
        // digest of the whole value, so that texts compared as text still differ when any byte does.
        const int Shown = 64;
        var sb = new StringBuilder("\"");
        foreach (var b in bytes[..Math.Min(bytes.Length, Shown)])
        {
            sb.Append(b switch
            {
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }

        sb.Append('"');
        if (bytes.Length > Shown)
        {
            sb.Append(CultureInfo.InvariantCulture, $"... ({bytes.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]})");
        }

        return sb.ToString();
    }
}

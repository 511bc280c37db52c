using System.Text.Encodings.Web;
using System.Text.Json;

namespace Election.Tests.Support;

/// <summary>The Go types a Milvus session field has, as far as encoding/json treats them differently.</summary>
public enum GoKind
{
    Int64,

    /// <summary>A pointer to an int64 (Milvus's <c>*clientv3.LeaseID</c>): omitempty leaves out nil, not 0.</summary>
    Int64Pointer,
    String,
    Bool,

    /// <summary>A nested struct: omitempty never leaves it out.</summary>
    Struct,

    /// <summary>A map[string]string: omitempty leaves out an empty one.</summary>
    StringMap,
}

/// <summary>One field of a Go struct: its JSON name (the tag's, else the field's), type and omitempty.</summary>
public sealed record GoField(string Name, GoKind Kind, bool OmitEmpty, GoStruct? Struct = null);

/// <summary>
/// A Go struct's JSON contract as encoding/json applies it, independent of the code under test: Unmarshal
/// matches keys to fields case-insensitively, ignores unknown keys, zero-fills missing ones, and fails on a
/// type mismatch; Marshal writes the fields in declaration order, leaving out zero values of omitempty fields.
/// </summary>
public sealed class GoStruct(params GoField[] fields)
{
    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public IReadOnlyList<GoField> Fields { get; } = fields;

    /// <summary>json.Unmarshal: the value of every field present, by field name, and the keys no field took.</summary>
    /// <exception cref="JsonException">Not an object, or a key's value does not fit its field's type.</exception>
    public (Dictionary<string, JsonElement> Values, List<string> Unknown) Unmarshal(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"json: cannot unmarshal {json.ValueKind} into a Go struct");
        }

        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var property in json.EnumerateObject())
        {
            // Go prefers an exact match, then takes a case-insensitive one.
            var field = Fields.FirstOrDefault(f => f.Name == property.Name) ?? Fields.FirstOrDefault(f => string.Equals(f.Name, property.Name, StringComparison.OrdinalIgnoreCase));
            if (field is null)
            {
                unknown.Add(property.Name);
                continue;
            }

            Check(field, property.Value);
            values[field.Name] = property.Value.Clone();
        }

        return (values, unknown);
    }

    /// <summary>json.Marshal of the struct holding <paramref name="values"/> (zero where absent).</summary>
    public string Marshal(IReadOnlyDictionary<string, JsonElement> values)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Writer))
        {
            Write(json, values);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void Write(Utf8JsonWriter json, IReadOnlyDictionary<string, JsonElement> values)
    {
        json.WriteStartObject();
        foreach (var field in Fields)
        {
            var present = values.TryGetValue(field.Name, out var value) && value.ValueKind != JsonValueKind.Null;
            if (field.OmitEmpty && (!present || IsZero(field, value)))
            {
                continue;
            }

            json.WritePropertyName(field.Name);
            switch (field.Kind)
            {
                case GoKind.Struct:
                    var nested = present ? field.Struct!.Unmarshal(value).Values : [];
                    field.Struct!.Write(json, nested);
                    break;
                case GoKind.StringMap:
                    json.WriteStartObject();
                    foreach (var entry in present ? value.EnumerateObject().OrderBy(e => e.Name, StringComparer.Ordinal) : Enumerable.Empty<JsonProperty>())
                    {
                        json.WriteString(entry.Name, entry.Value.GetString());
                    }

                    json.WriteEndObject();
                    break;
                case GoKind.Int64 or GoKind.Int64Pointer when !present:
                    if (field.Kind == GoKind.Int64Pointer)
                    {
                        json.WriteNullValue();
                    }
                    else
                    {
                        json.WriteNumberValue(0);
                    }

                    break;
                case GoKind.Int64 or GoKind.Int64Pointer:
                    json.WriteNumberValue(value.GetInt64());
                    break;
                case GoKind.String:
                    json.WriteStringValue(present ? value.GetString() : string.Empty);
                    break;
                case GoKind.Bool:
                    json.WriteBooleanValue(present && value.GetBoolean());
                    break;
            }
        }

        json.WriteEndObject();
    }

    private static bool IsZero(GoField field, JsonElement value) => field.Kind switch
    {
        GoKind.Int64 => value.GetInt64() == 0,
        GoKind.Int64Pointer => false, // a non-nil pointer is written, even to 0
        GoKind.String => value.GetString()!.Length == 0,
        GoKind.Bool => !value.GetBoolean(),
        GoKind.StringMap => !value.EnumerateObject().Any(),
        _ => false,
    };

    private static void Check(GoField field, JsonElement value)
    {
        var fits = value.ValueKind == JsonValueKind.Null || field.Kind switch
        {
            GoKind.Int64 or GoKind.Int64Pointer => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            GoKind.String => value.ValueKind == JsonValueKind.String,
            GoKind.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            GoKind.StringMap => value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(e => e.Value.ValueKind == JsonValueKind.String),
            GoKind.Struct => value.ValueKind == JsonValueKind.Object,
            _ => false,
        };
        if (!fits)
        {
            throw new JsonException($"json: cannot unmarshal {value.ValueKind} into Go struct field {field.Name} of type {field.Kind}");
        }

        if (field.Kind == GoKind.Struct)
        {
            field.Struct!.Unmarshal(value);
        }
    }
}

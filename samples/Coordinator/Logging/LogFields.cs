namespace Coordinator.Logging;

/// <summary>
/// The values of a log call that its message does not mention: Milvus passes these as zap fields, and
/// the session's LoggerMessage methods carry them as parameters left out of the template.
/// </summary>
internal static class LogFields
{
    private const string OriginalFormat = "{OriginalFormat}";

    public static List<KeyValuePair<string, object?>> Unmentioned<TState>(TState state)
    {
        var fields = new List<KeyValuePair<string, object?>>();
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return fields;
        }

        var format = values.FirstOrDefault(v => v.Key == OriginalFormat).Value as string ?? string.Empty;
        foreach (var value in values)
        {
            if (value.Key != OriginalFormat && !Mentions(format, value.Key))
            {
                fields.Add(value);
            }
        }

        return fields;
    }

    /// <summary>True if the template has the hole {name}, {name:format} or {name,alignment}.</summary>
    private static bool Mentions(string format, string name) =>
        format.Contains("{" + name + "}", StringComparison.Ordinal)
        || format.Contains("{" + name + ":", StringComparison.Ordinal)
        || format.Contains("{" + name + ",", StringComparison.Ordinal);
}

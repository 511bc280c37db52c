using System.Text.Json;
using System.Text.Json.Serialization;

namespace FakeEtcd.Simulation.Faults;

/// <summary>A list of faults as data: it serialises to JSON and back, so a failing run can print and replay it.</summary>
public sealed record FaultSchedule
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    /// <summary>The faults, in the order they were planned.</summary>
    public IReadOnlyList<Fault> Faults { get; init; } = [];

    /// <summary>The schedule as JSON (enum names as strings, durations as <c>hh:mm:ss.fffffff</c>).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a schedule written by <see cref="ToJson"/>.</summary>
    public static FaultSchedule FromJson(string json) =>
        JsonSerializer.Deserialize<FaultSchedule>(json, Json) ?? throw new JsonException("empty fault schedule");

    /// <summary>One fault a line, for test output.</summary>
    public override string ToString() => string.Join('\n', Faults.Select(f => f.Describe()));
}

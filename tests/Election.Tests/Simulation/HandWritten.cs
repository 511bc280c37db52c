using FakeEtcd.Simulation.Faults;
using FakeEtcd.Simulation.History;

namespace Election.Tests.Simulation;

/// <summary>Builds hand-written histories for the invariant checks' own tests.</summary>
internal static class HandWritten
{
    public const string Role = "rootcoord";

    public static HistoryEntry Entry(double at, string client, HistoryKind kind) =>
        new() { At = TimeSpan.FromSeconds(at), Client = client, Kind = kind };

    /// <summary>A session note for <see cref="Role"/> (<see cref="SessionNotes"/>).</summary>
    public static HistoryEntry Note(double at, string client, long leaseId, string state) =>
        Entry(at, client, HistoryKind.Note) with { LeaseId = leaseId, Key = Role, Detail = state };

    public static HistoryEntry Fault(HistoryKind kind, double at, Fault fault) =>
        Entry(at, "server", kind) with { Key = fault.Client ?? "*", Detail = fault.Describe(), Fault = fault };

    /// <summary>The entries numbered in the order given (entries of one instant keep their order).</summary>
    public static List<HistoryEntry> InOrder(params IEnumerable<HistoryEntry> entries) =>
        [.. entries.Select((e, i) => e with { Sequence = i })];
}

namespace FakeEtcd.Simulation.History;

/// <summary>One key change of a committed revision, as the history shows it.</summary>
/// <param name="Type">PUT or DELETE.</param>
/// <param name="Key">The key (UTF-8).</param>
/// <param name="Revision">The revision that changed it.</param>
/// <param name="Lease">The lease the key is attached to after a PUT (0 for none).</param>
public sealed record HistoryEvent(string Type, string Key, long Revision, long Lease)
{
    /// <inheritdoc />
    public override string ToString() => Lease == 0 ? $"{Type} {Key}@{Revision}" : $"{Type} {Key}@{Revision} lease={Lease:x}";
}

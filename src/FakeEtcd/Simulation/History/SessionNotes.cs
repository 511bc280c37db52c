namespace FakeEtcd.Simulation.History;

/// <summary>The session states <see cref="SimulationHistory.NoteSession"/> records and the invariant checks read.</summary>
public static class SessionNotes
{
    /// <summary>Registered and waiting.</summary>
    public const string Standby = "standby";

    /// <summary>Believes it holds the role from now on.</summary>
    public const string Active = "active";

    /// <summary>No longer holds or waits for the role (lost or stopped).</summary>
    public const string Ended = "ended";
}

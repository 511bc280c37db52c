namespace FakeEtcd.Simulation.History;

/// <summary>The session states and work boundaries <see cref="SimulationHistory.NoteSession"/> records and the invariant checks read.</summary>
public static class SessionNotes
{
    /// <summary>Registered and waiting.</summary>
    public const string Standby = "standby";

    /// <summary>Believes it holds the role from now on.</summary>
    public const string Active = "active";

    /// <summary>No longer holds or waits for the role (lost or stopped).</summary>
    public const string Ended = "ended";

    /// <summary>The active's work began (its activation was entered).</summary>
    public const string WorkStarted = "work-started";

    /// <summary>The active's work has stopped (its activation returned).</summary>
    public const string WorkEnded = "work-ended";
}

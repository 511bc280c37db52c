namespace FakeEtcd.Simulation;

/// <summary>
/// Turns a server into a simulation: it records a <see cref="History.SimulationHistory"/>, accepts
/// faults (<see cref="FakeEtcdServer.Faults"/>) and breaks ties (the order in which watchers of one
/// revision get their events) with a generator seeded by <see cref="Seed"/>.
/// </summary>
public sealed class SimulationOptions
{
    /// <summary>Seed of every tie-break the server makes.</summary>
    public int Seed { get; set; }
}

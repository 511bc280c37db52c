namespace FakeEtcd.Simulation.Invariants;

/// <summary>An invariant the history breaks, and where (the history sequence of the entry that shows it).</summary>
/// <param name="Invariant">Which check found it.</param>
/// <param name="Sequence">The history entry at which it is visible.</param>
/// <param name="Message">What is wrong.</param>
public sealed record Violation(string Invariant, long Sequence, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Invariant} at #{Sequence}: {Message}";
}

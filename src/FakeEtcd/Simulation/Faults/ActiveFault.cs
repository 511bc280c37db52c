namespace FakeEtcd.Simulation.Faults;

/// <summary>A fault that has started and not healed yet, with what its queries need.</summary>
internal sealed class ActiveFault(Fault fault, TimeSpan healsAt)
{
    private readonly TaskCompletionSource _healed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Fault Fault { get; } = fault;

    /// <summary>Virtual time at which it heals; <see cref="TimeSpan.MaxValue"/> for never.</summary>
    public TimeSpan HealsAt { get; } = healsAt;

    /// <summary>Matching requests seen so far (for <see cref="FaultKind.FailRequest"/>).</summary>
    public int Matches { get; set; }

    public Task Healed => _healed.Task;

    public void Heal() => _healed.TrySetResult();

    /// <summary>Whether the fault applies to <paramref name="client"/> (a null fault client means everyone).</summary>
    public bool AppliesTo(string client) => Fault.Client is null || Fault.Client == client;
}

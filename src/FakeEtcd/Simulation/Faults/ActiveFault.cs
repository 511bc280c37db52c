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

    private readonly List<TaskCompletionSource> _waiters = [];

    public Task Healed => _healed.Task;

    /// <summary>A task released after the heal, in arrival order, one clock step each.</summary>
    public Task Wait()
    {
        lock (_waiters)
        {
            if (_healed.Task.IsCompleted)
            {
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(); // Inline: the released call starts (and counts) on the clock step.
            _waiters.Add(waiter);
            return waiter.Task;
        }
    }

    public List<TaskCompletionSource> TakeWaiters()
    {
        lock (_waiters)
        {
            var waiters = _waiters.ToList();
            _waiters.Clear();
            return waiters;
        }
    }

    public void Heal()
    {
        lock (_waiters)
        {
            _healed.TrySetResult();
        }
    }

    /// <summary>Whether the fault applies to <paramref name="client"/> (a null fault client means everyone).</summary>
    public bool AppliesTo(string client) => Fault.Client is null || Fault.Client == client;
}

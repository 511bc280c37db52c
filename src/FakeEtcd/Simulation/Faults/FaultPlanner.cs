namespace FakeEtcd.Simulation.Faults;

/// <summary>
/// Derives a fault schedule from a seed: the same seed and inputs always give the same schedule
/// (System.Random with a seed is stable for a given .NET). Faults are spread over a window of virtual
/// time, aimed at one of the named clients or at the whole server, and all heal within the window.
/// </summary>
public static class FaultPlanner
{
    /// <summary>A schedule of 1 to <paramref name="maxFaults"/> faults for <paramref name="clients"/> starting within <paramref name="window"/>.</summary>
    public static FaultSchedule Plan(int seed, IReadOnlyList<string> clients, TimeSpan window, int maxFaults = 4)
    {
        ArgumentNullException.ThrowIfNull(clients);
        var random = new Random(seed);
        var count = random.Next(1, maxFaults + 1);
        var faults = new List<Fault>();
        for (var i = 0; i < count; i++)
        {
            var at = TimeSpan.FromMilliseconds(random.Next(1_000, (int)window.TotalMilliseconds));
            var client = random.Next(5) == 0 ? null : clients[random.Next(clients.Count)];
            var duration = TimeSpan.FromSeconds(random.Next(1, 60));
            var kind = (FaultKind)random.Next(Enum.GetValues<FaultKind>().Length);
            faults.Add(kind switch
            {
                FaultKind.SeverStreams or FaultKind.LeaderChange => new Fault { Kind = kind, At = at, Client = kind == FaultKind.SeverStreams ? client : null },
                FaultKind.Compact => new Fault { Kind = kind, At = at },
                FaultKind.Partition => new Fault { Kind = kind, At = at, Client = client ?? clients[0], Duration = duration, Mode = (PartitionMode)random.Next(2) },
                FaultKind.DropKeepAlives => new Fault { Kind = kind, At = at, Client = client, Duration = duration },
                FaultKind.DelayKeepAlives or FaultKind.DelayWatch => new Fault
                {
                    Kind = kind,
                    At = at,
                    Client = client,
                    Duration = duration,
                    Delay = TimeSpan.FromMilliseconds(random.Next(1, 5_000)),
                },
                FaultKind.FailRequest => new Fault
                {
                    Kind = kind,
                    At = at,
                    Client = client,
                    Duration = duration,
                    Nth = random.Next(1, 4),
                    Method = random.Next(3) switch { 0 => "Txn", 1 => "LeaseGrant", _ => null },
                    Error = (InjectedError)random.Next(3),
                },
                _ => new Fault { Kind = FaultKind.PauseServer, At = at, Duration = TimeSpan.FromSeconds(random.Next(1, 20)) },
            });
        }

        return new FaultSchedule { Faults = faults };
    }
}

using System.Text;
using FakeEtcd.Simulation.Faults;
using FakeEtcd.Simulation.History;
using FakeEtcd.Simulation.Invariants;

namespace Election.Tests.Simulation;

/// <summary>What one seeded run produced: its schedule, its history and the invariant violations found in it.</summary>
public sealed record ScenarioRun(int Seed, int Coordinators, FaultSchedule Schedule, IReadOnlyList<HistoryEntry> History, IReadOnlyList<Violation> Violations)
{
    /// <summary>The history as text (the byte-for-byte replay comparison uses this).</summary>
    public string HistoryText => string.Concat(History.Select(e => e.ToString() + "\n"));

    /// <summary>Virtual time from each ended lease of an active to the next activation of its role.</summary>
    public IReadOnlyList<TimeSpan> TakeoverDelays
    {
        get
        {
            var claims = ActiveClaim.From(History);
            return [.. claims.Where(c => c.LeaseEnd is not null)
                .Select(c => (End: c.LeaseEnd!, Next: claims.FirstOrDefault(n => n.Start.Sequence > c.Start.Sequence)))
                .Where(p => p.Next is not null)
                .Select(p => p.Next!.Start.At - p.End.At)];
        }
    }

    /// <summary>Seed, schedule (JSON and readable), violations and history: what a failing test prints to replay the run.</summary>
    public string Report()
    {
        var text = new StringBuilder();
        text.Append("seed ").Append(Seed).Append(", ").Append(Coordinators).Append(" coordinators\n");
        text.Append("schedule ").Append(Schedule.ToJson()).Append('\n').Append(Schedule).Append('\n');
        text.Append("violations:\n").AppendJoin('\n', Violations).Append('\n');
        text.Append("history:\n").Append(HistoryText);
        return text.ToString();
    }
}

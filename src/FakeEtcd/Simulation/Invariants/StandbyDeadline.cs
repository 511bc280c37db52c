using FakeEtcd.Simulation.Faults;
using FakeEtcd.Simulation.History;

namespace FakeEtcd.Simulation.Invariants;

/// <summary>
/// By when one standby must have taken over after a lease ended at <c>from</c>: <see cref="FailoverBound.Round"/>
/// later, pushed back by each fault that hit that standby (or the whole server) before it could react:
/// a partition or pause overlapping the wait (until its heal, plus one retry), a severed stream, a
/// failed request or a compaction (one retry after it, counting those in the retry before <c>from</c>),
/// a watch delay (its delay). Pushes repeat until none applies, so a fault that falls into a pushed wait counts too.
/// </summary>
internal static class StandbyDeadline
{
    public static (TimeSpan Due, IReadOnlyList<string> Because) For(IReadOnlyList<HistoryEntry> history, string client, TimeSpan from, FailoverBound bound)
    {
        var effects = Effects(history, client).ToList();
        var due = from + bound.Round;
        var because = new List<string>();
        var applied = new bool[effects.Count];
        for (var changed = true; changed && due != TimeSpan.MaxValue;)
        {
            changed = false;
            for (var i = 0; i < effects.Count && due != TimeSpan.MaxValue; i++)
            {
                if (!applied[i] && effects[i].Push(from, due, bound) is { } pushed)
                {
                    (applied[i], changed, due) = (true, true, Max(due, pushed));
                    because.Add($"{effects[i].What} -> {(due == TimeSpan.MaxValue ? "never" : HistoryEntry.FormatTime(due))}");
                }
            }
        }

        return (due, because);
    }

    private static IEnumerable<Effect> Effects(IReadOnlyList<HistoryEntry> history, string client)
    {
        foreach (var entry in history)
        {
            if (entry.Kind is HistoryKind.StreamSevered or HistoryKind.FaultApplied && entry.Client == client)
            {
                yield return Effect.Instant(entry.At, $"{entry.Kind} {entry.Detail} at {HistoryEntry.FormatTime(entry.At)}");
            }
            else if (entry.Kind == HistoryKind.FaultStarted && entry.Fault is { } fault && (fault.Client is null || fault.Client == client))
            {
                var healed = history.FirstOrDefault(e => e.Kind == HistoryKind.FaultHealed && e.Sequence > entry.Sequence && ReferenceEquals(e.Fault, fault));
                var end = healed?.At ?? TimeSpan.MaxValue;
                switch (fault.Kind)
                {
                    case FaultKind.Partition or FaultKind.PauseServer:
                        yield return Effect.Window(entry.At, end, entry.Detail);
                        break;
                    case FaultKind.DelayWatch:
                        yield return Effect.Delay(entry.At, end, fault.Delay, entry.Detail);
                        break;
                    case FaultKind.Compact:
                        yield return Effect.Instant(entry.At, entry.Detail);
                        break;
                }
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Add(TimeSpan a, TimeSpan b) => a == TimeSpan.MaxValue || b == TimeSpan.MaxValue ? TimeSpan.MaxValue : a + b;

    /// <summary>One fault's effect on the standby: given the wait (from, due), the new due time, or null when it does not reach the wait.</summary>
    private sealed record Effect(string What, Func<TimeSpan, TimeSpan, FailoverBound, TimeSpan?> Push)
    {
        public static Effect Instant(TimeSpan at, string what) =>
            new(what, (from, due, bound) => at >= from - bound.Retry && at <= due ? at + bound.Retry + bound.Round : null);

        public static Effect Window(TimeSpan start, TimeSpan end, string what) =>
            new(what, (from, due, bound) => start <= due && end >= from - bound.Retry ? Add(end, bound.Retry + bound.Round) : null);

        public static Effect Delay(TimeSpan start, TimeSpan end, TimeSpan delay, string what) =>
            new(what, (from, due, _) => start <= due && end >= from ? due + delay : null);
    }
}

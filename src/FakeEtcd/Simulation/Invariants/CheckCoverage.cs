using FakeEtcd.Simulation.History;

namespace FakeEtcd.Simulation.Invariants;

/// <summary>
/// How much of a history the checks in <see cref="HistoryChecks"/> actually judged, so a suite can
/// tell a run that passed from a run that had nothing to check.
/// </summary>
/// <param name="Entries">History entries.</param>
/// <param name="Commits">Committed revisions.</param>
/// <param name="Claims">Activations judged by the single-active and step-down checks.</param>
/// <param name="Takeovers">Activations that followed the end of a previous active's lease (judged by the failover check).</param>
/// <param name="Watchers">Watchers judged by the watch delivery check.</param>
/// <param name="SingleKeyReads">One-key reads judged by the linearizability check.</param>
/// <param name="Work">Activations' work intervals judged by the overlapping-work check.</param>
public sealed record CheckCoverage(int Entries, int Commits, int Claims, int Takeovers, int Watchers, int SingleKeyReads, int Work)
{
    /// <summary>The coverage of <paramref name="history"/>.</summary>
    public static CheckCoverage Of(IReadOnlyList<HistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var claims = ActiveClaim.From(history);
        var takeovers = claims.Count(c => c.LeaseEnd is not null
            && claims.Any(n => n.ServerName == c.ServerName && n.Start.Sequence > c.LeaseEnd.Sequence));
        return new CheckCoverage(
            history.Count,
            history.Count(e => e.Kind == HistoryKind.Commit),
            claims.Count,
            takeovers,
            history.Count(e => e.Kind == HistoryKind.WatchCreated),
            LinearizableReads.Reads(history).Count(),
            ActiveWork.From(history).Count);
    }
}

using System.Globalization;
using FakeEtcd.Simulation.Faults;
using FakeEtcd.Simulation.History;

namespace FakeEtcd.Simulation.Invariants;

/// <summary>
/// When a lease is due to expire according to the history alone: its TTL after its last renewal — the
/// grant, an answered keepalive, or a leader change (etcd's promote: TTL plus the election timeout).
/// </summary>
internal static class LeaseDeadline
{
    /// <summary>
    /// The due time and a description of the renewal it follows from; null when the history has no grant
    /// for the lease. Without <paramref name="withLeaderChanges"/>: the deadline its holder could know.
    /// </summary>
    public static (TimeSpan Due, string Renewal)? Before(IReadOnlyList<HistoryEntry> history, long leaseId, long sequence, bool withLeaderChanges = true)
    {
        (TimeSpan Due, string Renewal)? due = null;
        long grantedTtl = 0;
        foreach (var entry in history)
        {
            if (entry.Sequence >= sequence)
            {
                break;
            }

            if (entry.LeaseId == leaseId && entry.Kind is HistoryKind.LeaseGranted or HistoryKind.KeepAlive && Ttl(entry) is > 0 and var ttl)
            {
                grantedTtl = entry.Kind == HistoryKind.LeaseGranted ? ttl : grantedTtl;
                due = (entry.At + TimeSpan.FromSeconds(ttl), $"{(entry.Kind == HistoryKind.LeaseGranted ? "grant" : "last keepalive")} at {HistoryEntry.FormatTime(entry.At)} + ttl {ttl}s");
            }
            else if (withLeaderChanges && due is not null && entry.Kind == HistoryKind.FaultStarted && entry.Fault?.Kind == FaultKind.LeaderChange)
            {
                due = (entry.At + TimeSpan.FromSeconds(grantedTtl) + FaultInjector.ElectionTimeout,
                    $"leader change at {HistoryEntry.FormatTime(entry.At)} + ttl {grantedTtl}s + election timeout");
            }
        }

        return due;
    }

    // Grants and keepalives record their TTL as "ttl=N" (see the simulation edge).
    private static long Ttl(HistoryEntry entry) =>
        entry.Detail.StartsWith("ttl=", StringComparison.Ordinal)
        && long.TryParse(entry.Detail.AsSpan(4), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ttl) ? ttl : 0;
}

namespace FakeEtcd.TestSupport;

/// <summary>How a differential pair is started and compared.</summary>
/// <param name="MaskLeaseIds">Compare lease IDs by order of appearance instead of value.</param>
/// <param name="FastEtcdElection">
/// Start etcd with a 100 ms election timeout (heartbeat 10 ms). A fresh single member spends
/// 0–1 s of its default 1 s timeout electing itself; this cuts startup to ~0.1 s. It also lowers
/// etcd's minimum lease TTL from 2 s to 1 s (ceil(1.5 × election timeout)), so tests that
/// depend on lease TTL clamping must keep the default.
/// </param>
/// <param name="FakeMemberId">A fixed member ID for FakeEtcd (default: its own derived ID).</param>
/// <param name="FakeOnSystemClock">
/// Run FakeEtcd on the wall clock instead of its default virtual clock, for the few comparisons
/// where both sides must count time the same way (remaining TTLs, real-time expiry).
/// </param>
/// <param name="EtcdDataOnDisk">
/// Keep etcd's data dir in the system temp dir (a disk here) instead of tmpfs: etcd's default
/// deployment, every write fsynced. The benchmarks' "etcd (disk)" target; the tests keep tmpfs for speed.
/// </param>
/// <param name="SameMember">
/// Both sides present one member: name "diff", advertised client URL <see cref="SameMemberClientUrl"/> and
/// peer URL <see cref="SameMemberPeerUrl"/> (each still listening on its own ports), so member and cluster
/// ids and etcd's members bucket are equal on both (Maintenance Hash).
/// </param>
/// <param name="QuotaBackendBytes">etcd's <c>--quota-backend-bytes</c> on both sides (default: etcd's 2 GiB).</param>
public sealed record DiffOptions(
    bool MaskLeaseIds = true,
    bool FastEtcdElection = false,
    ulong? FakeMemberId = null,
    bool FakeOnSystemClock = false,
    bool EtcdDataOnDisk = false,
    bool SameMember = false,
    long? QuotaBackendBytes = null)
{
    /// <summary>The client URL both sides advertise with <see cref="SameMember"/>.</summary>
    public const string SameMemberClientUrl = "http://127.0.0.1:2379";

    /// <summary>The peer URL both sides advertise with <see cref="SameMember"/>.</summary>
    public const string SameMemberPeerUrl = "http://127.0.0.1:2380";

    /// <summary>The member name on both sides.</summary>
    public const string MemberName = "diff";
}

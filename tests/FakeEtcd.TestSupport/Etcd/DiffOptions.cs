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
public sealed record DiffOptions(bool MaskLeaseIds = true, bool FastEtcdElection = false, ulong? FakeMemberId = null, bool FakeOnSystemClock = false, bool EtcdDataOnDisk = false);

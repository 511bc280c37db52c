using FakeEtcd.Apply;
using FakeEtcd.Clock;

namespace FakeEtcd.Cluster;

/// <summary>One etcd member as the gRPC services see it: its identity and its apply path.</summary>
internal sealed class EtcdNode(MemberIdentity identity, Applier applier, TimeProvider clock, ActivityTracker activity, EtcdProfile profile)
{
    public MemberIdentity Identity { get; } = identity;

    /// <summary>The etcd release this member follows where 3.4 and 3.5 differ; Status reports its version.</summary>
    public EtcdProfile Profile { get; } = profile;

    public Applier Applier { get; } = applier;

    /// <summary>The server's clock: a <see cref="VirtualClock"/> in-process by default.</summary>
    public TimeProvider Clock { get; } = clock;

    /// <summary>Work in flight that a virtual clock's settle waits for.</summary>
    public ActivityTracker Activity { get; } = activity;

    /// <summary>History, faults and tie-breaks when the server runs as a simulation; null otherwise.</summary>
    public Simulation.Simulator? Simulation { get; set; }
}

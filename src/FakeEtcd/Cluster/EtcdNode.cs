using FakeEtcd.Apply;

namespace FakeEtcd.Cluster;

/// <summary>One etcd member as the gRPC services see it: its identity and its apply path.</summary>
internal sealed class EtcdNode(MemberIdentity identity, Applier applier)
{
    /// <summary>The version reported by Status: the etcd release whose semantics FakeEtcd follows.</summary>
    public const string EtcdVersion = "3.5.26";

    public MemberIdentity Identity { get; } = identity;

    public Applier Applier { get; } = applier;
}

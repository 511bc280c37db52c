namespace FakeEtcd.Tests.Differential;

/// <summary>
/// Base for KV-only differential tests: nothing here depends on lease TTL clamping, so etcd may
/// start with a short election timeout (see <see cref="DiffOptions.FastEtcdElection"/>).
/// </summary>
public abstract class KvDifferentialTest : DifferentialTest
{
    protected override DiffOptions Options => new(FastEtcdElection: true);
}

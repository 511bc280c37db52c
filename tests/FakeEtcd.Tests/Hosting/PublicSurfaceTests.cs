using FakeEtcd.Testing;

namespace FakeEtcd.Tests.Hosting;

/// <summary>
/// What the FakeEtcd packages expose to a consumer: only their own namespaces (FakeEtcd, and the simulation kit's FakeEtcd.Simulation.*). Generated protocol types
/// (EtcdProtocol.*) and the executable's Program stay internal, so a project that also references
/// dotnet-etcd, or has a Program of its own, sees no clashing types.
/// </summary>
public sealed class PublicSurfaceTests
{
    [Fact]
    public void FakeEtcdExportsOnlyTheFakeEtcdNamespaces() =>
        Assert.All(
            typeof(FakeEtcdServer).Assembly.GetExportedTypes(),
            t => Assert.Contains(t.Namespace, new[] { "FakeEtcd", "FakeEtcd.Simulation", "FakeEtcd.Simulation.Faults", "FakeEtcd.Simulation.History", "FakeEtcd.Simulation.Invariants" }));

    [Fact]
    public void FixturePackageExportsOnlyTheFakeEtcdTestingNamespace() =>
        Assert.All(typeof(FakeEtcdFixture).Assembly.GetExportedTypes(), t => Assert.Equal("FakeEtcd.Testing", t.Namespace));
}

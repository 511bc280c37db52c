using FakeEtcd.Testing;

namespace FakeEtcd.Sample.Tests;

/// <summary>One FakeEtcd shared by every class marked <c>[Collection(EtcdCollection.Name)]</c>.</summary>
[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<FakeEtcdFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "etcd";
}

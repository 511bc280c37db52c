using Election.Tests.Support;
using Grpc.Core;

namespace Election.Tests.Fake;

/// <summary>The election and lock interop tests (C# next to etcdctl / Go clientv3) on FakeEtcd.</summary>
public sealed class InteropFakeEtcdTests(FakeEtcdFixture etcd) : InteropTests, IClassFixture<FakeEtcdFixture>
{
    protected override CallInvoker Invoker => etcd.Invoker;

    protected override Uri ClientUrl => etcd.ClientUrl;

    protected override TimeProvider Time => TimeProvider.System;

    protected override string UniqueName(string name) => etcd.UniqueRoot(name);
}

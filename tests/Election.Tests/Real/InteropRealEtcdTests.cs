using Election.Tests.Support;
using Grpc.Core;

namespace Election.Tests.Real;

/// <summary>The election and lock interop tests on a real etcd.</summary>
public sealed class InteropRealEtcdTests(RealEtcdFixture etcd) : InteropTests, IClassFixture<RealEtcdFixture>
{
    protected override CallInvoker Invoker => etcd.Invoker;

    protected override Uri ClientUrl => etcd.ClientUrl;

    protected override TimeProvider Time => TimeProvider.System;

    protected override string UniqueName(string name) => etcd.UniqueRoot(name);
}

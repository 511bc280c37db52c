namespace FakeEtcd.Tests.Differential;

/// <summary>Which servers a differential test compares.</summary>
public static class DiffTargets
{
    /// <summary>The reference is always a real etcd process.</summary>
    public static Func<DiffOptions, CancellationToken, Task<IEtcdEndpoint>> Reference { get; } = RealEtcd.StartAsync;

    /// <summary>
    /// The server under test. FAKEETCD_DIFF_CANDIDATE=etcd compares etcd with a second etcd,
    /// which checks the harness itself: every test must pass in that mode.
    /// </summary>
    public static Func<DiffOptions, CancellationToken, Task<IEtcdEndpoint>> Candidate { get; } =
        string.Equals(Environment.GetEnvironmentVariable("FAKEETCD_DIFF_CANDIDATE"), "etcd", StringComparison.OrdinalIgnoreCase)
            ? RealEtcd.StartAsync
            : FakeEtcdEndpoint.StartAsync;
}

namespace FakeEtcd.Tests.Differential;

/// <summary>Which servers a differential test compares.</summary>
public static class DiffTargets
{
    private static readonly bool CandidateIsEtcd =
        string.Equals(Environment.GetEnvironmentVariable("FAKEETCD_DIFF_CANDIDATE"), "etcd", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// False in the harness check (FAKEETCD_DIFF_CANDIDATE=etcd). Steps that only FakeEtcd can take (requests
    /// that crash a real etcd member) skip there.
    /// </summary>
    public static bool CandidateIsFakeEtcd => !CandidateIsEtcd;

    /// <summary>The reference is always a real etcd process.</summary>
    public static Func<DiffOptions, CancellationToken, Task<IEtcdEndpoint>> Reference { get; } = RealEtcd.StartAsync;

    /// <summary>
    /// The server under test. FAKEETCD_DIFF_CANDIDATE=etcd compares etcd with a second etcd,
    /// which checks the harness itself: every test must pass in that mode.
    /// </summary>
    public static Func<DiffOptions, CancellationToken, Task<IEtcdEndpoint>> Candidate { get; } =
        CandidateIsEtcd ? RealEtcd.StartAsync : FakeEtcdEndpoint.StartAsync;

    /// <summary>
    /// The release the candidate follows where etcd 3.4 and 3.5 differ. FAKEETCD_DIFF_PROFILE=3.4
    /// starts FakeEtcd with <see cref="EtcdCompatibility.Etcd34"/>, so those steps compare exactly
    /// with the 3.4.23 reference; an etcd candidate is 3.4 by nature. Default: 3.5, where those
    /// steps check the candidate against the 3.5 facts instead.
    /// </summary>
    public static EtcdCompatibility Profile { get; } = ReadProfile();

    /// <summary>True when the candidate answers as etcd 3.4.23 does (see <see cref="Profile"/>).</summary>
    public static bool Is34 => Profile == EtcdCompatibility.Etcd34;

    private static EtcdCompatibility ReadProfile()
    {
        var value = Environment.GetEnvironmentVariable("FAKEETCD_DIFF_PROFILE");
        EtcdCompatibility? asked = value switch
        {
            null or "" => null,
            "3.4" => EtcdCompatibility.Etcd34,
            "3.5" => EtcdCompatibility.Etcd35,
            _ => throw new InvalidOperationException($"FAKEETCD_DIFF_PROFILE must be 3.4 or 3.5, not '{value}'."),
        };
        if (CandidateIsEtcd)
        {
            // The reference binary is etcd 3.4.23: a second one cannot be held to 3.5's answers.
            return asked is null or EtcdCompatibility.Etcd34
                ? EtcdCompatibility.Etcd34
                : throw new InvalidOperationException("FAKEETCD_DIFF_CANDIDATE=etcd is etcd 3.4: FAKEETCD_DIFF_PROFILE=3.5 cannot apply to it.");
        }

        return asked ?? EtcdCompatibility.Etcd35;
    }
}

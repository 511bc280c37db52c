using Etcdserverpb;

namespace FakeEtcd.Tests.Differential;

/// <summary>Status, Alarm and MemberList: compared by shape where values differ by design.</summary>
public sealed class MaintenanceDiffTests : KvDifferentialTest
{
    [Fact]
    public async Task Status_reports_itself_as_leader()
    {
        await Pair.Put("a", "1");
        var status = await Pair.Each(c => c.Maintenance.StatusAsync(new StatusRequest()).ResponseAsync);
        foreach (var raw in new[] { status.RawReference, status.RawCandidate })
        {
            var s = raw.Ok;
            Assert.Equal(s.Header.MemberId, s.Leader);     // etcdctl prints "is leader" from this.
            Assert.NotEqual(0UL, s.Header.MemberId);
            Assert.NotEqual(0UL, s.Header.ClusterId);
            Assert.Equal(2, s.Header.Revision);
            Assert.Equal(s.Header.RaftTerm, s.RaftTerm);
            Assert.True(s.RaftTerm >= 1);
            Assert.True(s.DbSize > 0);
            Assert.Empty(s.Errors);
            Assert.False(s.IsLearner);
            Assert.Matches(@"^\d+\.\d+\.\d+$", s.Version);  // Bare semver, no leading "v".
        }

        // 3.4 vs 3.5: each reports its own release; the 3.4 profile reports the reference's 3.4.23.
        // raftIndex/dbSize are implementation details of raft and bbolt, so they are not compared.
        Assert.StartsWith("3.4.", status.RawReference.Ok.Version, StringComparison.Ordinal);
        Assert.Equal(DiffTargets.Is34 ? status.RawReference.Ok.Version : "3.5.26", status.RawCandidate.Ok.Version);
    }

    [Fact]
    public async Task Alarm_get_is_empty()
    {
        await Pair.Put("a", "1");

        // 3.4 vs 3.5: etcd 3.4 returns AlarmResponse without a header; 3.5 fills it (etcd#11600, 3.5.0).
        var alarms = await Pair.Both35(
            c => c.Maintenance.AlarmAsync(new AlarmRequest { Action = AlarmRequest.Types.AlarmAction.Get }).ResponseAsync,
            candidate => Assert.Equal(2, (candidate.Ok.Header ?? throw new Xunit.Sdk.XunitException("3.5 fills AlarmResponse's header")).Revision));
        Assert.Empty(alarms.Reference.Ok.Alarms);
        Assert.Empty(alarms.Candidate.Ok.Alarms);
    }

    [Fact]
    public async Task Member_list_has_one_member_serving_its_own_url()
    {
        var list = await Pair.Each(c => c.Cluster.MemberListAsync(new MemberListRequest()).ResponseAsync);
        foreach (var (raw, endpoint) in new[] { (list.RawReference, Pair.Reference.Endpoint), (list.RawCandidate, Pair.Candidate.Endpoint) })
        {
            var response = raw.Ok;
            Assert.Equal(0, response.Header.Revision);      // ClusterServer never sets it.
            var member = Assert.Single(response.Members);
            Assert.Equal(response.Header.MemberId, member.ID);
            Assert.NotEmpty(member.Name);                   // etcdctl shows "unstarted" otherwise.
            Assert.False(member.IsLearner);
            var url = Assert.Single(member.ClientURLs);
            Assert.Equal(endpoint.ClientUrl, new Uri(url));
        }
    }
}

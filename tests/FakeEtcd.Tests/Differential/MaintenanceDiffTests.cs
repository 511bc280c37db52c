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

        // Version differs by design: the reference here is etcd 3.4.23, while FakeEtcd emulates
        // and reports 3.5.x (DESIGN.md, etcd-semantics.md §12). raftIndex/dbSize are
        // implementation details of raft and bbolt, so they are not compared either.
        Assert.StartsWith("3.4.", status.RawReference.Ok.Version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alarm_get_is_empty()
    {
        await Pair.Put("a", "1");
        var alarms = await Pair.Each(c => c.Maintenance.AlarmAsync(new AlarmRequest { Action = AlarmRequest.Types.AlarmAction.Get }).ResponseAsync);
        Assert.Empty(alarms.Reference.Ok.Alarms);
        Assert.Empty(alarms.Candidate.Ok.Alarms);

        // 3.4 vs 3.5 by design: etcd 3.4 returns AlarmResponse without a header; 3.5 fills it
        // (etcd #11600, first in v3.5.0). FakeEtcd emulates 3.5, so expect the 3.5 header.
        if (Pair.Candidate.Endpoint is not FakeEtcdEndpoint)
        {
            return; // Harness self-check (etcd vs etcd): both are 3.4.
        }

        if (alarms.Candidate.Ok.Header is { } header)
        {
            Assert.Equal(2, header.Revision);
        }
        else
        {
            Assert.Fail("FakeEtcd's AlarmResponse has no header; etcd 3.5 fills it with the current revision.");
        }
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

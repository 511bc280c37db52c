using Etcdserverpb;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// Both sides configured as the same member (name, advertised URLs): etcd's ids for it, its member list,
/// and MoveLeader, whose only valid target is that member.
/// </summary>
public sealed class SameMemberDiffTests : DifferentialTest
{
    protected override DiffOptions Options => new(SameMember: true);

    [Fact]
    public async Task Member_and_cluster_ids_and_the_member_list_are_etcd_s()
    {
        var list = await Pair.Both(c => c.Cluster.MemberListAsync(new MemberListRequest()).ResponseAsync);

        Assert.Equal(list.RawReference.Ok.Header.MemberId, list.RawCandidate.Ok.Header.MemberId);
        Assert.Equal(list.RawReference.Ok.Header.ClusterId, list.RawCandidate.Ok.Header.ClusterId);
        Assert.Equal(list.RawReference.Ok.Members, list.RawCandidate.Ok.Members);
    }

    [Fact]
    public async Task Moving_leadership_to_the_only_member_succeeds_with_an_empty_answer_and_to_any_other_id_fails()
    {
        var self = (await Pair.Each(c => c.Maintenance.StatusAsync(new StatusRequest()).ResponseAsync)).RawReference.Ok.Header.MemberId;

        var moved = await Pair.Both(c => c.Maintenance.MoveLeaderAsync(new MoveLeaderRequest { TargetID = self }).ResponseAsync);
        await Pair.Both(c => c.Maintenance.MoveLeaderAsync(new MoveLeaderRequest { TargetID = self + 1 }).ResponseAsync);
        await Pair.Both(c => c.Maintenance.MoveLeaderAsync(new MoveLeaderRequest()).ResponseAsync);
        var status = await Pair.Each(c => c.Maintenance.StatusAsync(new StatusRequest()).ResponseAsync);

        Assert.Null(moved.RawCandidate.Ok.Header);
        Assert.Equal(status.RawReference.Ok.Leader, status.RawCandidate.Ok.Leader);
        Assert.Equal(status.RawReference.Ok.RaftTerm, status.RawCandidate.Ok.RaftTerm); // no new term
    }
}

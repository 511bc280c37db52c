using Google.Protobuf;
using V3Electionpb;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// v3electionpb.Election on both servers with explicit lease IDs (keys carry the lease in hex, so
/// they match): responses, headers and errors (Unknown with etcd's message) must be equal.
/// </summary>
public sealed class ElectionDiffTests : DifferentialTest
{
    private static ByteString B(string text) => ByteString.CopyFromUtf8(text);

    private static CampaignRequest Campaign(long lease, string value) => new() { Name = B("e"), Lease = lease, Value = B(value) };

    private static LeaderKey LeaderOf(long lease, long rev) => new() { Name = B("e"), Key = B($"e/{lease:x}"), Rev = rev, Lease = lease };

    [Fact]
    public async Task Campaign_leader_proclaim_resign_and_their_errors()
    {
        await Pair.Grant(0x11);
        var elected = await Pair.Both(c => c.Election.CampaignAsync(Campaign(0x11, "a")).ResponseAsync);
        var leader = elected.Reference.Response!.Leader;
        await Pair.Both(c => c.Election.LeaderAsync(new LeaderRequest { Name = B("e") }).ResponseAsync);
        await Pair.Both(c => c.Election.ProclaimAsync(new ProclaimRequest { Leader = leader, Value = B("a2") }).ResponseAsync);
        await Pair.Both(c => c.Election.CampaignAsync(Campaign(0x11, "a3")).ResponseAsync); // Rejoining proclaims the new value.
        await Pair.Both(c => c.Election.LeaderAsync(new LeaderRequest { Name = B("e") }).ResponseAsync);
        await Pair.Both(c => c.Election.ResignAsync(new ResignRequest { Leader = leader }).ResponseAsync);
        await Pair.Both(c => c.Election.ResignAsync(new ResignRequest { Leader = leader }).ResponseAsync); // Silent.
        await Pair.Both(c => c.Election.ProclaimAsync(new ProclaimRequest { Leader = leader, Value = B("x") }).ResponseAsync);
        await Pair.Both(c => c.Election.LeaderAsync(new LeaderRequest { Name = B("e") }).ResponseAsync);
        await Pair.Both(c => c.Election.CampaignAsync(Campaign(0x99, "a")).ResponseAsync);
        await Pair.Both(c => c.Election.ProclaimAsync(new ProclaimRequest { Value = B("x") }).ResponseAsync);
        await Pair.Both(c => c.Election.ResignAsync(new ResignRequest()).ResponseAsync);
        await Pair.Both(c => c.Election.ProclaimAsync(new ProclaimRequest { Leader = LeaderOf(0x99, 2), Value = B("x") }).ResponseAsync);
    }

    [Fact]
    public async Task Second_candidate_is_elected_when_the_leader_resigns()
    {
        await Pair.Grant(0x21);
        await Pair.Grant(0x22);
        var first = await Pair.Both(c => c.Election.CampaignAsync(Campaign(0x21, "a")).ResponseAsync);
        var leader = first.Reference.Response!.Leader;
        await Pair.Both(c => ConcurrencyDiff.BlockedUntilAsync(
            c,
            () => c.Election.CampaignAsync(Campaign(0x22, "b")),
            "e/22",
            () => c.Election.ResignAsync(new ResignRequest { Leader = leader }).ResponseAsync));
        await Pair.Both(c => c.Election.LeaderAsync(new LeaderRequest { Name = B("e") }).ResponseAsync);
        await Pair.Range(Req.Range("e/", "e0"));
    }
}

using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using static FakeEtcd.Tests.Differential.Req;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// The exact --max-request-bytes boundary. It depends on the member ID, and the two servers have
/// different IDs, so each is checked against etcd's rule for its own ID instead of against the
/// other. Real etcd's IDs are random per run (random ports), so every run re-checks the rule.
/// </summary>
public sealed class RequestSizeBoundaryDiffTests
{
    private const int MaxRequestBytes = 1536 * 1024;

    // The raft entry is InternalRaftRequest { header (tag 2 B, length 1 B) { ID (tag 1 B + varint) },
    // put (tag 1 B, length 3 B) { PutRequest } }. For key "big" the PutRequest adds 9 bytes to the
    // value, so the largest accepted value is MaxRequestBytes - 17 - len(varint(ID)).
    private static int LargestPutValue(ulong memberId) => MaxRequestBytes - 17 - RequestIdVarintLength(memberId);

    // etcd's raft request IDs are (memberID & 0xffff) << 48 | (unix ms mod 2^40) << 8 + n, unmasked
    // (pkg/idutil): their varint covers 48 + bitlen(memberID & 0xffff) bits, so it is 10 bytes when
    // the low 16 bits are >= 0x8000, 9 from 0x100, 7 or 8 below. Only a zero prefix leaves the
    // length to the clock.
    private static int RequestIdVarintLength(ulong memberId) => CodedOutputStream.ComputeUInt64Size((memberId & 0xffff) << 48);

    [Theory]
    [InlineData(null)]                    // FakeEtcd's default ID.
    [InlineData(0x1234_5678_9abc_8001UL)] // Low 16 bits >= 0x8000: a 10-byte request ID in etcd.
    [InlineData(0x1234_5678_9abc_7fffUL)]
    [InlineData(0x1234_5678_9abc_00ffUL)] // 56 bits: an 8-byte request ID.
    [InlineData(0x1234_5678_9abc_0001UL)] // 49 bits: 7 bytes.
    public async Task Put_size_boundary_follows_the_member_id(ulong? fakeMemberId)
    {
        await using var pair = await DiffPair.StartAsync(
            new DiffOptions(FastEtcdElection: true, FakeMemberId: fakeMemberId), TestContext.Current.CancellationToken);
        var status = await pair.Each(c => c.Maintenance.StatusAsync(new StatusRequest()).ResponseAsync);
        var members = new Dictionary<EtcdClients, ulong>
        {
            [pair.Reference] = status.RawReference.Ok.Header.MemberId,
            [pair.Candidate] = status.RawCandidate.Ok.Header.MemberId,
        };
        if (members.Values.Any(id => (id & 0xffff) == 0))
        {
            Assert.Skip($"a member ID with zero low 16 bits ({string.Join(", ", members.Values.Select(id => id.ToString("x16", CultureInfo.InvariantCulture)))}) leaves the request ID's length to etcd's clock (1 run in 65,536)");
        }

        var fits = await pair.Each(c => c.Kv.PutAsync(Put("big", new string('x', LargestPutValue(members[c])))).ResponseAsync);
        var over = await pair.Each(c => c.Kv.PutAsync(Put("big", new string('x', LargestPutValue(members[c]) + 1))).ResponseAsync);
        Check(pair.Reference, members[pair.Reference], fits.RawReference, over.RawReference);
        Check(pair.Candidate, members[pair.Candidate], fits.RawCandidate, over.RawCandidate);
    }

    private static void Check(EtcdClients side, ulong member, Outcome<PutResponse> fits, Outcome<PutResponse> over)
    {
        var limit = LargestPutValue(member);
        var who = $"{side.Endpoint.Name} (member {member:x16})";
        Assert.True(fits.Error is null, $"{who} must accept a {limit}-byte value for key \"big\": {fits}");
        Assert.True(
            over.Error is { StatusCode: StatusCode.InvalidArgument, Status.Detail: "etcdserver: request is too large" },
            $"{who} must reject a {limit + 1}-byte value for key \"big\" as too large: {over}");
    }
}

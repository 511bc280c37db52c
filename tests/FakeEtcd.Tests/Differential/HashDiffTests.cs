using Etcdserverpb;
using Google.Protobuf;
using AlarmAction = Etcdserverpb.AlarmRequest.Types.AlarmAction;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// Maintenance Hash: CRC-32C over etcd 3.4's backend buckets (keys after compaction, leases, members,
/// alarms, auth, cluster version, compaction marks), so the same state gives etcd's hash. Both sides
/// present the same member, whose ids and URLs are in the hashed members bucket.
/// </summary>
public sealed class HashDiffTests : DifferentialTest
{
    protected override DiffOptions Options => new(SameMember: true);

    [Fact]
    public async Task Hash_is_etcd_s_through_writes_leases_compaction_and_alarms()
    {
        await Hash();
        await Pair.Put("a", "1");
        await Pair.Put("b", "2");
        await Hash();
        await Pair.Grant(id: 77);
        await Pair.Grant(id: 78, ttl: 1); // stored as granted: raised to the 2 s minimum
        await Pair.Put(new PutRequest { Key = Bytes("leased"), Value = Bytes("v"), Lease = 77 });
        await Hash();
        await Pair.Txn(new TxnRequest
        {
            Success =
            {
                new RequestOp { RequestPut = new PutRequest { Key = Bytes("c"), Value = Bytes("3") } },
                new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = Bytes("a") } },
            },
        });
        await Pair.Put("b", "22");
        await Hash();
        await Pair.Compact(5, physical: true); // drops a's put and tombstone and b's first value
        await Hash();
        await Pair.Both(c => c.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = 77 }).ResponseAsync);
        await Hash();
        await Alarm(AlarmAction.Activate);
        await Hash();
        await Alarm(AlarmAction.Deactivate);
        await Hash();
    }

    /// <summary>
    /// Hash on both: equal to 3.4.23's under the 3.4 profile; under 3.5 the cluster bucket holds 3.5.0,
    /// which is hashed, so the hashes must differ.
    /// </summary>
    private async Task Hash()
    {
        if (DiffTargets.Is34)
        {
            await Pair.Both(c => c.Maintenance.HashAsync(new HashRequest()).ResponseAsync);
            return;
        }

        var outcomes = await Pair.Each(c => c.Maintenance.HashAsync(new HashRequest()).ResponseAsync);
        Assert.NotEqual(outcomes.RawReference.Ok.Hash, outcomes.RawCandidate.Ok.Hash);
    }

    /// <summary>An alarm change on both; 3.5 adds a header to the answer.</summary>
    private Task Alarm(AlarmAction action) => Pair.Both35(
        c => c.Maintenance.AlarmAsync(new AlarmRequest { Action = action, Alarm = AlarmType.Nospace }).ResponseAsync,
        candidate => Assert.Equal(AlarmType.Nospace, Assert.Single(candidate.Ok.Alarms).Alarm));

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);
}

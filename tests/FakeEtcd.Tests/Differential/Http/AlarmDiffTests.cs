using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using AlarmAction = Etcdserverpb.AlarmRequest.Types.AlarmAction;

namespace FakeEtcd.Tests.Differential.Http;

/// <summary>
/// Alarms for real, next to etcd's: raised and cleared by Alarm requests, NOSPACE capping the writes
/// that add data, CORRUPT refusing every write, and /health turning false until the alarm is excluded
/// or cleared.
/// </summary>
public sealed class AlarmDiffTests : HttpDiffTest
{
    private const ulong Member = 42;

    [Fact]
    public async Task Nospace_caps_writes_that_add_data_until_it_is_cleared()
    {
        await Pair.Put("a", "1");
        await Pair.Grant(id: 5);
        Assert.Empty(await Alarm(AlarmAction.Get, AlarmType.None));

        var raised = await Alarm(AlarmAction.Activate, AlarmType.Nospace);
        Assert.Equal([new AlarmMember { MemberID = Member, Alarm = AlarmType.Nospace }], raised);
        Assert.Equal(raised, await Alarm(AlarmAction.Activate, AlarmType.Nospace));
        Assert.Equal(raised, await Alarm(AlarmAction.Get, AlarmType.None));
        Assert.Empty(await Alarm(AlarmAction.Get, AlarmType.Corrupt));

        var capped = (await Pair.Put("b", "2")).RawCandidate.Error;
        Assert.Equal((StatusCode.ResourceExhausted, "etcdserver: mvcc: database space exceeded"), (capped?.StatusCode, capped?.Status.Detail));
        await Pair.Put(new PutRequest { Key = Bytes("b"), Lease = 999 });
        await Pair.Grant(id: 6);
        await Pair.Txn(new TxnRequest { Failure = { new RequestOp { RequestPut = new PutRequest { Key = Bytes("c") } } } });
        await Pair.Txn(new TxnRequest { Success = { new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = Bytes("a") } } } });
        await Pair.Txn(new TxnRequest { Success = { new RequestOp { RequestRange = new RangeRequest { Key = Bytes("a") } } } });
        await Pair.Range(new RangeRequest { Key = Bytes("a") });
        await Pair.Compact(2);
        await Pair.Both(c => c.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = 5 }).ResponseAsync);

        var reference = await Send(Pair.Reference, HttpMethod.Get, "/health?exclude=CORRUPT");
        var candidate = await Send(Pair.Candidate, HttpMethod.Get, "/health?exclude=CORRUPT");
        Assert.Equal(reference with { Body = string.Empty }, candidate with { Body = string.Empty });
        Assert.Equal((503, "{\"health\":\"false\"}\n"), (reference.Status, reference.Body));

        // 3.4 vs 3.5: 3.5 names the alarm in "reason".
        Assert.Equal(DiffTargets.Is34 || !DiffTargets.CandidateIsFakeEtcd ? reference.Body : "{\"health\":\"false\",\"reason\":\"ALARM NOSPACE\"}\n", candidate.Body);
        Assert.Equal(200, (await Send(Pair.Candidate, HttpMethod.Get, "/health?exclude=NOSPACE")).Status);
        Assert.Equal(200, (await Send(Pair.Reference, HttpMethod.Get, "/health?exclude=NOSPACE")).Status);

        Assert.Equal(raised, await Alarm(AlarmAction.Deactivate, AlarmType.Nospace));
        Assert.Empty(await Alarm(AlarmAction.Deactivate, AlarmType.Nospace));
        await Pair.Put("b", "2");
        Assert.Equal(200, (await Send(Pair.Candidate, HttpMethod.Get, "/health")).Status);
    }

    [Fact]
    public async Task Corrupt_refuses_every_write_and_serves_reads()
    {
        await Pair.Put("a", "1");
        await Pair.Grant(id: 5);
        await Alarm(AlarmAction.Activate, AlarmType.Corrupt);

        await Pair.Put("b", "2");
        await Pair.Delete(new DeleteRangeRequest { Key = Bytes("a") });
        await Pair.Txn(new TxnRequest { Success = { new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = Bytes("a") } } } });
        await Pair.Txn(new TxnRequest { Success = { new RequestOp { RequestRange = new RangeRequest { Key = Bytes("a") } } } });
        await Pair.Range(new RangeRequest { Key = Bytes("a") });
        await Pair.Grant(id: 6);
        await Pair.Both(c => c.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = 5 }).ResponseAsync);
        await Pair.Compact(2);

        await Alarm(AlarmAction.Deactivate, AlarmType.Corrupt);
        await Pair.Put("b", "2");
    }

    /// <summary>An Alarm request on both; the alarm lists must be equal (the header is 3.5's only).</summary>
    private async Task<IReadOnlyList<AlarmMember>> Alarm(AlarmAction action, AlarmType type)
    {
        var outcomes = await Pair.Each(c => c.Maintenance.AlarmAsync(new AlarmRequest { Action = action, Alarm = type, MemberID = Member }).ResponseAsync);
        Assert.Equal(outcomes.RawReference.Ok.Alarms, outcomes.RawCandidate.Ok.Alarms);
        return [.. outcomes.RawCandidate.Ok.Alarms];
    }

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);
}

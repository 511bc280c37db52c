using Etcdserverpb;
using Google.Protobuf;
using AlarmAction = Etcdserverpb.AlarmRequest.Types.AlarmAction;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// --quota-backend-bytes below the empty database: every write that may add data raises NOSPACE and is
/// refused with etcd's error; writes that cannot add data and reads still run; Status lists the alarm.
/// </summary>
public sealed class QuotaDiffTests : DifferentialTest
{
    protected override DiffOptions Options => new(SameMember: true, QuotaBackendBytes: 1);

    [Fact]
    public async Task A_write_over_the_quota_raises_NOSPACE_and_only_writes_that_add_data_are_refused()
    {
        await Pair.Range(new RangeRequest { Key = Bytes("a") });
        await Pair.Delete(new DeleteRangeRequest { Key = Bytes("a") });
        await Pair.Txn(new TxnRequest { Success = { new RequestOp { RequestRange = new RangeRequest { Key = Bytes("a") } } } });
        await Alarms(); // none yet: only a write that may add data checks the quota

        await Pair.Put("a", "1");
        await Alarms();
        await Pair.Grant(id: 7);
        await Pair.Txn(new TxnRequest { Failure = { new RequestOp { RequestPut = new PutRequest { Key = Bytes("b"), Value = Bytes("2") } } } });
        await Pair.Delete(new DeleteRangeRequest { Key = Bytes("a") });
        await Pair.Compact(1);
        var status = await Pair.Each(c => c.Maintenance.StatusAsync(new StatusRequest()).ResponseAsync);
        Assert.Equal(status.RawReference.Ok.Errors, status.RawCandidate.Ok.Errors); // "memberID:… alarm:NOSPACE "

        // Disarming does not make room: the next Put raises the alarm again.
        await Pair.Both35(
            c => c.Maintenance.AlarmAsync(new AlarmRequest { Action = AlarmAction.Deactivate, Alarm = AlarmType.Nospace, MemberID = status.RawReference.Ok.Header.MemberId }).ResponseAsync,
            candidate => Assert.Single(candidate.Ok.Alarms));
        await Alarms();
        await Pair.Put("a", "1");
        await Alarms();
    }

    private Task Alarms() => Pair.Both35(
        c => c.Maintenance.AlarmAsync(new AlarmRequest { Action = AlarmAction.Get }).ResponseAsync,
        candidate => Assert.NotNull(candidate.Ok.Header));

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);
}

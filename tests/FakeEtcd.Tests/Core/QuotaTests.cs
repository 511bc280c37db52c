using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using FakeEtcd.Leases;
using Grpc.Core;
using static FakeEtcd.Tests.Support.EtcdAssert;
using static FakeEtcd.Tests.Support.Requests;

namespace FakeEtcd.Tests.Core;

/// <summary>
/// The backend quota at its edge: etcd's cost estimate (256 bytes + key + value per Put, 64 per lease
/// grant) on top of the database size estimate (20 KiB empty, grown in 4 KiB pages).
/// </summary>
public sealed class QuotaTests : IDisposable
{
    private const long EmptyDb = 20 * 1024;
    private readonly Applier _etcd = new(new EtcdLimits(QuotaBackendBytes: EmptyDb + 300), new VirtualClock(), new LeaseOptions(), memberId: 0x8e9e05c52164694d);

    public void Dispose() => _etcd.Dispose();

    [Fact]
    public void A_put_whose_cost_stays_under_the_quota_is_applied_and_the_next_one_over_it_raises_NOSPACE()
    {
        _etcd.Put(Put("k", new string('v', 42))); // 20,480 + 299 < 20,780

        Assert.Equal(EmptyDb + 4096, _etcd.ApproximateDbSize);
        Fails(StatusCode.ResourceExhausted, "etcdserver: mvcc: database space exceeded", () => _etcd.Put(Put("k", "v")));
        var alarm = Assert.Single(_etcd.ActiveAlarms());
        Assert.Equal((0x8e9e05c52164694dUL, AlarmType.Nospace), (alarm.MemberID, alarm.Alarm));
        Assert.Equal(2, _etcd.CurrentRevision);
    }

    [Fact]
    public void A_put_costing_exactly_the_room_left_is_refused()
    {
        Fails(StatusCode.ResourceExhausted, "etcdserver: mvcc: database space exceeded", () => _etcd.Put(Put("k", new string('v', 43))));
        Assert.Equal(1, _etcd.CurrentRevision);
    }

    [Fact]
    public void Quota_off_lets_any_write_through()
    {
        using var unlimited = new Applier(new EtcdLimits(QuotaBackendBytes: -1), new VirtualClock());
        unlimited.Put(Put("k", new string('v', 100_000)));
        unlimited.Put(Put("k", "v"));

        Assert.Empty(unlimited.ActiveAlarms());
    }

    [Fact]
    public void Costs_are_etcd_s()
    {
        var put = new PutRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8("key"), Value = Google.Protobuf.ByteString.CopyFromUtf8("value") };
        var txn = new TxnRequest
        {
            Success = { new RequestOp { RequestPut = put }, new RequestOp { RequestRange = new RangeRequest() } },
            Failure = { new RequestOp { RequestPut = put }, new RequestOp { RequestPut = put } },
        };

        Assert.Equal(264, QuotaCost.Of(put));
        Assert.Equal(528, QuotaCost.Of(txn)); // the larger branch
        Assert.Equal(0, QuotaCost.Of(new TxnRequest { Success = { new RequestOp { RequestRange = new RangeRequest() } } }));
        Assert.Equal(64, QuotaCost.LeaseGrant);
    }
}

using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using FakeEtcd.Cluster;
using FakeEtcd.Errors;
using Grpc.Core;

namespace FakeEtcd.Grpc.Services;

/// <summary>etcdserverpb.Maintenance: what clients probe (Status, Alarm), Hash and HashKV with etcd's algorithms, plus harmless no-ops.</summary>
internal sealed class MaintenanceService(Applier applier, MemberIdentity identity, EtcdProfile profile) : Maintenance.MaintenanceBase
{
    public override Task<StatusResponse> Status(StatusRequest request, ServerCallContext context)
    {
        var response = new StatusResponse
        {
            Header = Header(),
            Version = profile.Version,
            DbSize = applier.ApproximateDbSize,
            DbSizeInUse = applier.ApproximateDbSize,
            Leader = identity.MemberId,
            RaftIndex = applier.RaftIndex,
            RaftAppliedIndex = applier.RaftIndex,
            RaftTerm = identity.RaftTerm,
            IsLearner = false,
        };
        // etcd lists each active alarm among the errors, in gogoproto's text form.
        response.Errors.AddRange(applier.ActiveAlarms().Select(AlarmText));
        return Task.FromResult(response);
    }

    public override Task<AlarmResponse> Alarm(AlarmRequest request, ServerCallContext context)
    {
        var response = applier.Alarm(request);
        response.Header = profile.AlarmHasHeader ? Header() : null;
        return Task.FromResult(response);
    }

    public override Task<HashKVResponse> HashKV(HashKVRequest request, ServerCallContext context) =>
        Task.FromResult(applier.HashKV(request.Revision));

    /// <summary>CRC-32C over etcd 3.4's backend buckets as they would hold this state, as etcd's Hash computes it.</summary>
    public override Task<HashResponse> Hash(HashRequest request, ServerCallContext context) =>
        Task.FromResult(applier.Hash(identity, profile.Version));

    /// <summary>
    /// The only member is the leader: moving leadership to it succeeds at once with etcd's empty answer
    /// (no header); any other id is not a member, etcd's "bad leader transferee".
    /// </summary>
    public override Task<MoveLeaderResponse> MoveLeader(MoveLeaderRequest request, ServerCallContext context) =>
        request.TargetID == identity.MemberId
            ? Task.FromResult(new MoveLeaderResponse())
            : throw EtcdErrors.BadLeaderTransferee();

    public override Task<DefragmentResponse> Defragment(DefragmentRequest request, ServerCallContext context) =>
        Task.FromResult(new DefragmentResponse { Header = Header() });

    private static string AlarmText(AlarmMember alarm) =>
        (alarm.MemberID != 0 ? $"memberID:{alarm.MemberID} " : string.Empty)
        + (alarm.Alarm != AlarmType.None ? $"alarm:{alarm.Alarm.ToString().ToUpperInvariant()} " : string.Empty);

    private ResponseHeader Header() => new() { Revision = applier.CurrentRevision };
}

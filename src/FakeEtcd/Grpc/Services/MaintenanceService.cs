using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using FakeEtcd.Cluster;
using Grpc.Core;

namespace FakeEtcd.Grpc.Services;

/// <summary>etcdserverpb.Maintenance: what clients probe (Status, Alarm), HashKV with etcd's algorithm, plus harmless no-ops.</summary>
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

    public override Task<DefragmentResponse> Defragment(DefragmentRequest request, ServerCallContext context) =>
        Task.FromResult(new DefragmentResponse { Header = Header() });

    private ResponseHeader Header() => new() { Revision = applier.CurrentRevision };
}

using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Cluster;
using Grpc.Core;

namespace FakeEtcd.Grpc;

/// <summary>etcdserverpb.Maintenance: what clients probe (Status, Alarm) plus harmless no-ops.</summary>
internal sealed class MaintenanceService(EtcdNode node) : Maintenance.MaintenanceBase
{
    public override Task<StatusResponse> Status(StatusRequest request, ServerCallContext context)
    {
        var applier = node.Applier;
        var response = new StatusResponse
        {
            Header = Header(),
            Version = node.Profile.Version,
            DbSize = applier.ApproximateDbSize,
            DbSizeInUse = applier.ApproximateDbSize,
            Leader = node.Identity.MemberId,
            RaftIndex = applier.RaftIndex,
            RaftAppliedIndex = applier.RaftIndex,
            RaftTerm = node.Identity.RaftTerm,
            IsLearner = false,
        };
        return Task.FromResult(response);
    }

    /// <summary>No alarm is ever raised; GET answers an empty list, as a healthy etcd does.</summary>
    public override Task<AlarmResponse> Alarm(AlarmRequest request, ServerCallContext context) =>
        Task.FromResult(new AlarmResponse { Header = node.Profile.AlarmHasHeader ? Header() : null });

    public override Task<DefragmentResponse> Defragment(DefragmentRequest request, ServerCallContext context) =>
        Task.FromResult(new DefragmentResponse { Header = Header() });

    private ResponseHeader Header() =>
        node.Identity.Stamp(new ResponseHeader { Revision = node.Applier.CurrentRevision });
}

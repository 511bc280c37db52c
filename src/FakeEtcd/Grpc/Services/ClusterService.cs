using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Cluster;
using Grpc.Core;

namespace FakeEtcd.Grpc.Services;

/// <summary>etcdserverpb.Cluster: one started member. Membership changes are not supported.</summary>
internal sealed class ClusterService(MemberIdentity identity) : EtcdProtocol.Etcdserverpb.Cluster.ClusterBase
{
    public override Task<MemberListResponse> MemberList(MemberListRequest request, ServerCallContext context)
    {
        // etcd's cluster server never sets the revision in this header.
        var response = new MemberListResponse { Header = new ResponseHeader() };
        response.Members.Add(identity.ToMember());
        return Task.FromResult(response);
    }
}

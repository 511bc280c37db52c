using Google.Protobuf.Reflection;
using Rpc = EtcdProtocol.Etcdserverpb;
using V3Election = EtcdProtocol.V3Electionpb;
using V3Lock = EtcdProtocol.V3Lockpb;

namespace FakeEtcd.Http.Gateway;

/// <summary>
/// The grpc-gateway paths etcd 3.4 serves (its protos' <c>google.api.http</c> annotations), each
/// bound to the gRPC method it forwards to. <c>/v3/maintenance/hash</c> is annotated on both Hash and
/// HashKV; etcd's gateway dispatches to the first registered, Hash, and so does this table.
/// </summary>
internal static class GatewayRoutes
{
    /// <summary>Path (under <c>/v3</c>) → method.</summary>
    public static IReadOnlyDictionary<string, MethodDescriptor> All { get; } = Build();

    private static Dictionary<string, MethodDescriptor> Build()
    {
        var routes = new Dictionary<string, MethodDescriptor>(StringComparer.Ordinal);
        void Add(ServiceDescriptor service, string method, params string[] paths)
        {
            var descriptor = service.FindMethodByName(method) ?? throw new InvalidOperationException($"no method {method} in {service.FullName}");
            foreach (var path in paths)
            {
                routes.TryAdd(path, descriptor);
            }
        }

        Add(Rpc.KV.Descriptor, "Range", "/v3/kv/range");
        Add(Rpc.KV.Descriptor, "Put", "/v3/kv/put");
        Add(Rpc.KV.Descriptor, "DeleteRange", "/v3/kv/deleterange");
        Add(Rpc.KV.Descriptor, "Txn", "/v3/kv/txn");
        Add(Rpc.KV.Descriptor, "Compact", "/v3/kv/compaction");
        Add(Rpc.Watch.Descriptor, "Watch", "/v3/watch");
        Add(Rpc.Lease.Descriptor, "LeaseGrant", "/v3/lease/grant");
        Add(Rpc.Lease.Descriptor, "LeaseRevoke", "/v3/lease/revoke", "/v3/kv/lease/revoke");
        Add(Rpc.Lease.Descriptor, "LeaseKeepAlive", "/v3/lease/keepalive");
        Add(Rpc.Lease.Descriptor, "LeaseTimeToLive", "/v3/lease/timetolive", "/v3/kv/lease/timetolive");
        Add(Rpc.Lease.Descriptor, "LeaseLeases", "/v3/lease/leases", "/v3/kv/lease/leases");
        Add(Rpc.Cluster.Descriptor, "MemberAdd", "/v3/cluster/member/add");
        Add(Rpc.Cluster.Descriptor, "MemberRemove", "/v3/cluster/member/remove");
        Add(Rpc.Cluster.Descriptor, "MemberUpdate", "/v3/cluster/member/update");
        Add(Rpc.Cluster.Descriptor, "MemberList", "/v3/cluster/member/list");
        Add(Rpc.Cluster.Descriptor, "MemberPromote", "/v3/cluster/member/promote");
        Add(Rpc.Maintenance.Descriptor, "Alarm", "/v3/maintenance/alarm");
        Add(Rpc.Maintenance.Descriptor, "Status", "/v3/maintenance/status");
        Add(Rpc.Maintenance.Descriptor, "Defragment", "/v3/maintenance/defragment");
        Add(Rpc.Maintenance.Descriptor, "Hash", "/v3/maintenance/hash");
        Add(Rpc.Maintenance.Descriptor, "Snapshot", "/v3/maintenance/snapshot");
        Add(Rpc.Maintenance.Descriptor, "MoveLeader", "/v3/maintenance/transfer-leadership");
        Add(Rpc.Auth.Descriptor, "AuthEnable", "/v3/auth/enable");
        Add(Rpc.Auth.Descriptor, "AuthDisable", "/v3/auth/disable");
        Add(Rpc.Auth.Descriptor, "Authenticate", "/v3/auth/authenticate");
        Add(Rpc.Auth.Descriptor, "UserAdd", "/v3/auth/user/add");
        Add(Rpc.Auth.Descriptor, "UserGet", "/v3/auth/user/get");
        Add(Rpc.Auth.Descriptor, "UserList", "/v3/auth/user/list");
        Add(Rpc.Auth.Descriptor, "UserDelete", "/v3/auth/user/delete");
        Add(Rpc.Auth.Descriptor, "UserChangePassword", "/v3/auth/user/changepw");
        Add(Rpc.Auth.Descriptor, "UserGrantRole", "/v3/auth/user/grant");
        Add(Rpc.Auth.Descriptor, "UserRevokeRole", "/v3/auth/user/revoke");
        Add(Rpc.Auth.Descriptor, "RoleAdd", "/v3/auth/role/add");
        Add(Rpc.Auth.Descriptor, "RoleGet", "/v3/auth/role/get");
        Add(Rpc.Auth.Descriptor, "RoleList", "/v3/auth/role/list");
        Add(Rpc.Auth.Descriptor, "RoleDelete", "/v3/auth/role/delete");
        Add(Rpc.Auth.Descriptor, "RoleGrantPermission", "/v3/auth/role/grant");
        Add(Rpc.Auth.Descriptor, "RoleRevokePermission", "/v3/auth/role/revoke");
        Add(V3Election.Election.Descriptor, "Campaign", "/v3/election/campaign");
        Add(V3Election.Election.Descriptor, "Proclaim", "/v3/election/proclaim");
        Add(V3Election.Election.Descriptor, "Leader", "/v3/election/leader");
        Add(V3Election.Election.Descriptor, "Observe", "/v3/election/observe");
        Add(V3Election.Election.Descriptor, "Resign", "/v3/election/resign");
        Add(V3Lock.Lock.Descriptor, "Lock", "/v3/lock/lock");
        Add(V3Lock.Lock.Descriptor, "Unlock", "/v3/lock/unlock");
        return routes;
    }
}

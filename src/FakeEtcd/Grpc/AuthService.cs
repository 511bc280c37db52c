using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Cluster;
using FakeEtcd.Errors;
using Grpc.Core;

namespace FakeEtcd.Grpc;

/// <summary>
/// etcdserverpb.Auth with authentication disabled, as on a default etcd: Authenticate fails with the
/// exact error Go clientv3 treats as "no token needed".
/// </summary>
internal sealed class AuthService(EtcdNode node) : Auth.AuthBase
{
    public override Task<AuthenticateResponse> Authenticate(AuthenticateRequest request, ServerCallContext context) =>
        throw EtcdErrors.AuthNotEnabled();

    public override Task<AuthStatusResponse> AuthStatus(AuthStatusRequest request, ServerCallContext context) =>
        Task.FromResult(new AuthStatusResponse
        {
            Header = node.Identity.Stamp(new ResponseHeader { Revision = node.Applier.CurrentRevision }),
            Enabled = false,
            AuthRevision = 1,
        });

    /// <summary>Disabling auth that is already off succeeds, as on etcd.</summary>
    public override Task<AuthDisableResponse> AuthDisable(AuthDisableRequest request, ServerCallContext context) =>
        Task.FromResult(new AuthDisableResponse
        {
            Header = node.Identity.Stamp(new ResponseHeader { Revision = node.Applier.CurrentRevision }),
        });

    public override Task<AuthEnableResponse> AuthEnable(AuthEnableRequest request, ServerCallContext context) =>
        throw EtcdErrors.RootUserNotExist();
}

using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using FakeEtcd.Errors;
using Grpc.Core;

namespace FakeEtcd.Grpc.Services;

/// <summary>
/// etcdserverpb.Auth with authentication disabled, as on a default etcd: Authenticate fails with the
/// exact error Go clientv3 treats as "no token needed".
/// </summary>
internal sealed class AuthService(Applier applier) : Auth.AuthBase
{
    public override Task<AuthenticateResponse> Authenticate(AuthenticateRequest request, ServerCallContext context) =>
        throw EtcdErrors.AuthNotEnabled();

    public override Task<AuthStatusResponse> AuthStatus(AuthStatusRequest request, ServerCallContext context) =>
        Task.FromResult(new AuthStatusResponse
        {
            Header = new ResponseHeader { Revision = applier.CurrentRevision },
            Enabled = false,
            AuthRevision = 1,
        });

    /// <summary>Disabling auth that is already off succeeds, as on etcd.</summary>
    public override Task<AuthDisableResponse> AuthDisable(AuthDisableRequest request, ServerCallContext context) =>
        Task.FromResult(new AuthDisableResponse
        {
            Header = new ResponseHeader { Revision = applier.CurrentRevision },
        });

    public override Task<AuthEnableResponse> AuthEnable(AuthEnableRequest request, ServerCallContext context) =>
        throw EtcdErrors.RootUserNotExist();
}

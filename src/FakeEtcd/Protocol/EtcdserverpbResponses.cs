namespace EtcdProtocol.Etcdserverpb;

// The Etcdserverpb responses that carry a header (generated partial classes).

internal sealed partial class RangeResponse : IEtcdResponse;

internal sealed partial class PutResponse : IEtcdResponse;

internal sealed partial class DeleteRangeResponse : IEtcdResponse;

internal sealed partial class TxnResponse : IEtcdResponse;

internal sealed partial class CompactionResponse : IEtcdResponse;

internal sealed partial class HashKVResponse : IEtcdResponse;

internal sealed partial class HashResponse : IEtcdResponse;

internal sealed partial class SnapshotResponse : IEtcdResponse;

internal sealed partial class WatchResponse : IEtcdResponse;

internal sealed partial class LeaseGrantResponse : IEtcdResponse;

internal sealed partial class LeaseRevokeResponse : IEtcdResponse;

internal sealed partial class LeaseCheckpointResponse : IEtcdResponse;

internal sealed partial class LeaseKeepAliveResponse : IEtcdResponse;

internal sealed partial class LeaseTimeToLiveResponse : IEtcdResponse;

internal sealed partial class LeaseLeasesResponse : IEtcdResponse;

internal sealed partial class MemberAddResponse : IEtcdResponse;

internal sealed partial class MemberRemoveResponse : IEtcdResponse;

internal sealed partial class MemberUpdateResponse : IEtcdResponse;

internal sealed partial class MemberListResponse : IEtcdResponse;

internal sealed partial class MemberPromoteResponse : IEtcdResponse;

internal sealed partial class DefragmentResponse : IEtcdResponse;

internal sealed partial class MoveLeaderResponse : IEtcdResponse;

internal sealed partial class AlarmResponse : IEtcdResponse;

internal sealed partial class DowngradeResponse : IEtcdResponse;

internal sealed partial class StatusResponse : IEtcdResponse;

internal sealed partial class AuthEnableResponse : IEtcdResponse;

internal sealed partial class AuthDisableResponse : IEtcdResponse;

internal sealed partial class AuthStatusResponse : IEtcdResponse;

internal sealed partial class AuthenticateResponse : IEtcdResponse;

internal sealed partial class AuthUserAddResponse : IEtcdResponse;

internal sealed partial class AuthUserGetResponse : IEtcdResponse;

internal sealed partial class AuthUserDeleteResponse : IEtcdResponse;

internal sealed partial class AuthUserChangePasswordResponse : IEtcdResponse;

internal sealed partial class AuthUserGrantRoleResponse : IEtcdResponse;

internal sealed partial class AuthUserRevokeRoleResponse : IEtcdResponse;

internal sealed partial class AuthRoleAddResponse : IEtcdResponse;

internal sealed partial class AuthRoleGetResponse : IEtcdResponse;

internal sealed partial class AuthRoleListResponse : IEtcdResponse;

internal sealed partial class AuthUserListResponse : IEtcdResponse;

internal sealed partial class AuthRoleDeleteResponse : IEtcdResponse;

internal sealed partial class AuthRoleGrantPermissionResponse : IEtcdResponse;

internal sealed partial class AuthRoleRevokePermissionResponse : IEtcdResponse;

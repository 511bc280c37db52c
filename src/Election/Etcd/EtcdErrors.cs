using Grpc.Core;

namespace Election.Etcd;

/// <summary>Recognises the etcd errors the recipes react to.</summary>
internal static class EtcdErrors
{
    /// <summary>etcd's answer to a Put or Txn that names a lease that expired or was revoked.</summary>
    public static bool IsLeaseNotFound(RpcException e) =>
        e.StatusCode == StatusCode.NotFound && e.Status.Detail.Contains("lease not found", StringComparison.Ordinal);
}

namespace FakeEtcd.Apply;

/// <summary>Server limits with etcd's defaults (--max-txn-ops, --max-request-bytes, --quota-backend-bytes).</summary>
/// <param name="MaxTxnOps">The most operations in one list of a Txn.</param>
/// <param name="MaxRequestBytes">The largest write request accepted.</param>
/// <param name="QuotaBackendBytes">The backend size at which writes raise NOSPACE; 0 or less: no quota.</param>
internal sealed record EtcdLimits(int MaxTxnOps = 128, int MaxRequestBytes = 1536 * 1024, long QuotaBackendBytes = EtcdLimits.DefaultQuotaBytes)
{
    /// <summary>etcd's default quota, 2 GiB.</summary>
    public const long DefaultQuotaBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>etcd lets gRPC accept this much more than a request may hold, then rejects the excess itself.</summary>
    public const int GrpcOverheadBytes = 512 * 1024;

    public int MaxReceiveMessageBytes => MaxRequestBytes + GrpcOverheadBytes;
}

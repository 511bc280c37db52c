namespace FakeEtcd.Apply;

/// <summary>Server limits with etcd's defaults (--max-txn-ops, --max-request-bytes).</summary>
internal sealed record EtcdLimits(int MaxTxnOps = 128, int MaxRequestBytes = 1536 * 1024)
{
    /// <summary>etcd lets gRPC accept this much more than a request may hold, then rejects the excess itself.</summary>
    public const int GrpcOverheadBytes = 512 * 1024;

    public int MaxReceiveMessageBytes => MaxRequestBytes + GrpcOverheadBytes;
}

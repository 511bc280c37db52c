using Google.Protobuf;

namespace FakeEtcd.Mvcc;

/// <summary>
/// What the key space needs from the lessor: whether a lease exists, and the bookkeeping of which
/// keys a lease holds (etcd's <c>lessor.Attach</c>/<c>Detach</c>).
/// </summary>
internal interface ILeaseAttachments
{
    bool Exists(long leaseId);

    void Attach(long leaseId, ByteString key);

    void Detach(long leaseId, ByteString key);
}

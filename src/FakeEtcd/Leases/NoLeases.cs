using Google.Protobuf;

namespace FakeEtcd.Leases;

/// <summary>A lessor with no leases: every lease id is unknown, as on a server where none was granted.</summary>
internal sealed class NoLeases : ILeaseAttachments
{
    public static readonly NoLeases Instance = new();

    public bool Exists(long leaseId) => false;

    public void Attach(long leaseId, ByteString key) =>
        throw new InvalidOperationException($"lease {leaseId:x} does not exist");

    public void Detach(long leaseId, ByteString key)
    {
    }
}

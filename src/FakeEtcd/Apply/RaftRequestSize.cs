using FakeEtcd.Errors;
using Google.Protobuf;

namespace FakeEtcd.Apply;

/// <summary>
/// etcd rejects a write whose raft entry would exceed --max-request-bytes. The entry is the request
/// wrapped in an InternalRaftRequest with a request-id header, so the limit applies to the request
/// plus that wrapper; reads never go through raft and are not checked.
/// </summary>
internal sealed class RaftRequestSize(EtcdLimits limits, ulong memberId)
{
    // header field: 2-byte tag (field 100) and 1-byte length around { 1-byte tag, varint request id },
    // then the request's own 1-byte field tag. Request ids start with the member id's low 16 bits,
    // followed by a millisecond timestamp, so their varint length is fixed by those 16 bits.
    private readonly int _wrapperBytes = 3 + 1 + CodedOutputStream.ComputeUInt64Size(((memberId & 0xffff) << 48) | (1UL << 47)) + 1;

    public void Check(IMessage request)
    {
        var size = request.CalculateSize();
        var entry = _wrapperBytes + CodedOutputStream.ComputeLengthSize(size) + size;
        if (entry > limits.MaxRequestBytes)
        {
            throw EtcdErrors.RequestTooLarge();
        }
    }
}

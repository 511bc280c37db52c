using FakeEtcd.Errors;
using Google.Protobuf;

namespace FakeEtcd.Apply;

/// <summary>
/// etcd rejects a write whose raft entry would exceed --max-request-bytes. The entry is the request
/// wrapped in an InternalRaftRequest with a request-id header, so the limit applies to the request
/// plus that wrapper; reads never go through raft and are not checked.
/// </summary>
internal static class RaftRequestSize
{
    // header field (2-byte tag, 1-byte length) holding a 9-byte varint request id with its tag,
    // then the request's own 1-byte field tag.
    private const int WrapperBytes = 3 + 10 + 1;

    public static void Check(IMessage request, EtcdLimits limits)
    {
        var size = request.CalculateSize();
        var entry = WrapperBytes + CodedOutputStream.ComputeLengthSize(size) + size;
        if (entry > limits.MaxRequestBytes)
        {
            throw EtcdErrors.RequestTooLarge();
        }
    }
}

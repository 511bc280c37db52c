using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Election.Tests.Simulation;

/// <summary>The takeover CAS the broken coordinators share with Milvus: put the ACTIVE key on a lease if it does not exist.</summary>
internal static class ActiveKey
{
    public static async Task<TxnResponse> TryTakeAsync(CallInvoker etcd, ByteString key, long leaseId, CancellationToken cancellationToken) =>
        await new KV.KVClient(etcd).TxnAsync(
            new TxnRequest
            {
                Compare = { new Compare { Key = key, Target = Compare.Types.CompareTarget.Create, CreateRevision = 0 } },
                Success = { new RequestOp { RequestPut = new PutRequest { Key = key, Lease = leaseId } } },
            },
            cancellationToken: cancellationToken);
}

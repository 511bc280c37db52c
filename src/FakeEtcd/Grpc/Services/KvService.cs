using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using Grpc.Core;

namespace FakeEtcd.Grpc.Services;

/// <summary>etcdserverpb.KV: hands each request to the apply path.</summary>
internal sealed class KvService(Applier applier) : KV.KVBase
{
    public override Task<RangeResponse> Range(RangeRequest request, ServerCallContext context) =>
        Task.FromResult(applier.Range(request));

    public override Task<PutResponse> Put(PutRequest request, ServerCallContext context) =>
        Task.FromResult(applier.Put(request));

    public override Task<DeleteRangeResponse> DeleteRange(DeleteRangeRequest request, ServerCallContext context) =>
        Task.FromResult(applier.DeleteRange(request));

    public override Task<TxnResponse> Txn(TxnRequest request, ServerCallContext context) =>
        Task.FromResult(applier.Txn(request));

    public override Task<CompactionResponse> Compact(CompactionRequest request, ServerCallContext context) =>
        Task.FromResult(applier.Compact(request));
}

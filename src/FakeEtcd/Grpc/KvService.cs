using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Cluster;
using Grpc.Core;

namespace FakeEtcd.Grpc;

/// <summary>etcdserverpb.KV: hands each request to the apply path and stamps the member identity.</summary>
internal sealed class KvService(EtcdNode node) : KV.KVBase
{
    public override Task<RangeResponse> Range(RangeRequest request, ServerCallContext context) =>
        node.Reply(node.Applier.Range(request), r => r.Header);

    public override Task<PutResponse> Put(PutRequest request, ServerCallContext context) =>
        node.Reply(node.Applier.Put(request), r => r.Header);

    public override Task<DeleteRangeResponse> DeleteRange(DeleteRangeRequest request, ServerCallContext context) =>
        node.Reply(node.Applier.DeleteRange(request), r => r.Header);

    public override Task<TxnResponse> Txn(TxnRequest request, ServerCallContext context) =>
        node.Reply(node.Applier.Txn(request), r => r.Header);

    public override Task<CompactionResponse> Compact(CompactionRequest request, ServerCallContext context) =>
        node.Reply(node.Applier.Compact(request), r => r.Header);
}

using Etcdserverpb;
using Google.Protobuf;

namespace FakeEtcd.Tests.Differential;

/// <summary>One differential step per KV call, labelled with the request for failure messages.</summary>
public static class DiffPairKv
{
    public static Task<Outcomes<RangeResponse>> Range(this DiffPair pair, RangeRequest request)
        => pair.Both(c => c.Kv.RangeAsync(request).ResponseAsync, Label(request));

    public static Task<Outcomes<PutResponse>> Put(this DiffPair pair, PutRequest request)
        => pair.Both(c => c.Kv.PutAsync(request).ResponseAsync, Label(request));

    public static Task<Outcomes<PutResponse>> Put(this DiffPair pair, string key, string value)
        => pair.Put(Req.Put(key, value));

    public static Task<Outcomes<DeleteRangeResponse>> Delete(this DiffPair pair, DeleteRangeRequest request)
        => pair.Both(c => c.Kv.DeleteRangeAsync(request).ResponseAsync, Label(request));

    public static Task<Outcomes<TxnResponse>> Txn(this DiffPair pair, TxnRequest request)
        => pair.Both(c => c.Kv.TxnAsync(request).ResponseAsync, Label(request));

    public static Task<Outcomes<CompactionResponse>> Compact(this DiffPair pair, long revision, bool physical = false)
        => pair.Both(
            c => c.Kv.CompactAsync(new CompactionRequest { Revision = revision, Physical = physical }).ResponseAsync,
            $"Compact(revision: {revision}, physical: {physical})");

    /// <summary>Grants a lease with a chosen ID on both sides, so the ID is the same on both.</summary>
    public static Task<Outcomes<LeaseGrantResponse>> Grant(this DiffPair pair, long id, long ttl = 600)
        => pair.Both(
            c => c.Lease.LeaseGrantAsync(new LeaseGrantRequest { ID = id, TTL = ttl }).ResponseAsync,
            $"LeaseGrant(ID: {id}, TTL: {ttl})");

    private static string Label(IMessage request)
        => $"{request.Descriptor.Name} {{ {ProtoText.Format(request).ReplaceLineEndings(" ")} }}";
}

using System.Globalization;
using EtcdProtocol.Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace FakeEtcd.Simulation.History;

/// <summary>Short, deterministic descriptions of etcd requests and responses for the history.</summary>
internal static class RequestText
{
    public static string Request(object request) => request switch
    {
        RangeRequest r => "Range " + Span(r.Key, r.RangeEnd) + (r.Revision != 0 ? "@" + Int(r.Revision) : string.Empty),
        PutRequest p => Put(p),
        DeleteRangeRequest d => "DeleteRange " + Span(d.Key, d.RangeEnd),
        TxnRequest t => "Txn if " + string.Join(" && ", t.Compare.Select(Compare))
            + " then [" + string.Join(", ", t.Success.Select(Op)) + "] else [" + string.Join(", ", t.Failure.Select(Op)) + "]",
        LeaseGrantRequest g => "LeaseGrant ttl=" + Int(g.TTL),
        LeaseRevokeRequest v => "LeaseRevoke " + Hex(v.ID),
        LeaseTimeToLiveRequest l => "LeaseTimeToLive " + Hex(l.ID),
        CompactionRequest c => "Compact " + Int(c.Revision),
        _ => request.GetType().Name.Replace("Request", string.Empty, StringComparison.Ordinal),
    };

    public static string Response(object response) => response switch
    {
        RangeResponse r => "count=" + Int(r.Count) + (r.Kvs.Count > 0 ? " " + string.Join(",", r.Kvs.Select(k => k.Key.ToStringUtf8() + "@" + Int(k.ModRevision))) : string.Empty),
        TxnResponse t => "succeeded=" + (t.Succeeded ? "true" : "false"),
        LeaseGrantResponse g => "id=" + Hex(g.ID) + " ttl=" + Int(g.TTL),
        LeaseTimeToLiveResponse l => "ttl=" + Int(l.TTL),
        _ => "ok",
    };

    public static string Error(RpcException e) => $"error {e.StatusCode}: {e.Status.Detail}";

    private static string Put(PutRequest p) => "Put " + p.Key.ToStringUtf8() + (p.Lease != 0 ? " lease=" + Hex(p.Lease) : string.Empty);

    private static string Op(RequestOp op) => op.RequestCase switch
    {
        RequestOp.RequestOneofCase.RequestPut => Put(op.RequestPut),
        RequestOp.RequestOneofCase.RequestDeleteRange => "DeleteRange " + Span(op.RequestDeleteRange.Key, op.RequestDeleteRange.RangeEnd),
        RequestOp.RequestOneofCase.RequestRange => "Range " + Span(op.RequestRange.Key, op.RequestRange.RangeEnd),
        RequestOp.RequestOneofCase.RequestTxn => "Txn",
        _ => "none",
    };

    private static string Compare(Compare c)
    {
        var value = c.TargetUnionCase switch
        {
            EtcdProtocol.Etcdserverpb.Compare.TargetUnionOneofCase.Version => Int(c.Version),
            EtcdProtocol.Etcdserverpb.Compare.TargetUnionOneofCase.CreateRevision => Int(c.CreateRevision),
            EtcdProtocol.Etcdserverpb.Compare.TargetUnionOneofCase.ModRevision => Int(c.ModRevision),
            EtcdProtocol.Etcdserverpb.Compare.TargetUnionOneofCase.Value => "'" + c.Value.ToStringUtf8() + "'",
            EtcdProtocol.Etcdserverpb.Compare.TargetUnionOneofCase.Lease => Hex(c.Lease),
            _ => "?",
        };
        var op = c.Result switch
        {
            EtcdProtocol.Etcdserverpb.Compare.Types.CompareResult.Equal => "==",
            EtcdProtocol.Etcdserverpb.Compare.Types.CompareResult.Greater => ">",
            EtcdProtocol.Etcdserverpb.Compare.Types.CompareResult.Less => "<",
            _ => "!=",
        };
        return $"{c.Target}({c.Key.ToStringUtf8()}){op}{value}";
    }

    private static string Span(ByteString key, ByteString end) =>
        key.ToStringUtf8() + (end.IsEmpty ? string.Empty : ".." + (end.Length == 1 && end[0] == 0 ? "\\0" : end.ToStringUtf8()));

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Hex(long value) => value.ToString("x", CultureInfo.InvariantCulture);
}

using System.Text;
using Etcdserverpb;
using FakeEtcd.Tests.Differential;
using Google.Protobuf;
using Grpc.Core;

namespace FakeEtcd.Tests.Hostile;

/// <summary>
/// Everything a client can observe of a server's state, as text: the revision, every key at every
/// readable revision, the compaction point, and each lease with its granted TTL and keys (not the
/// remaining TTL, which moves with time). Equal before and after a rejected request means it left no trace.
/// </summary>
public static class StateHash
{
    private static readonly ByteString All = ByteString.CopyFrom(0);

    public static async Task<string> CaptureAsync(EtcdClients clients)
    {
        var sb = new StringBuilder();
        var head = await clients.Kv.RangeAsync(new RangeRequest { Key = All, RangeEnd = All, CountOnly = true });
        var revision = head.Header.Revision;
        sb.Append("revision ").Append(revision).Append('\n');
        for (var r = 1L; r <= revision; r++)
        {
            try
            {
                var at = await clients.Kv.RangeAsync(new RangeRequest { Key = All, RangeEnd = All, Revision = r });
                sb.Append("@").Append(r).Append(": ").Append(ProtoText.Format(new RangeResponse { Kvs = { at.Kvs }, Count = at.Count }).ReplaceLineEndings(" ")).Append('\n');
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.OutOfRange)
            {
                sb.Append("@").Append(r).Append(": ").Append(e.Status.Detail).Append('\n');
            }
        }

        var leases = await clients.Lease.LeaseLeasesAsync(new LeaseLeasesRequest());
        foreach (var id in leases.Leases.Select(l => l.ID).Order())
        {
            var ttl = await clients.Lease.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = id, Keys = true });
            sb.Append("lease ").Append(id).Append(" granted ").Append(ttl.GrantedTTL).Append(" keys ")
                .Append(string.Join(",", ttl.Keys.Select(k => k.ToBase64()).Order(StringComparer.Ordinal))).Append('\n');
        }

        return sb.ToString();
    }
}

using System.Globalization;
using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using FakeEtcd.Cluster;
using FakeEtcd.Grpc;
using FakeEtcd.Http.Responses;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace FakeEtcd.Http;

/// <summary>
/// <c>GET /metrics</c> in Prometheus' text format, with etcd's metric names, help texts and types for
/// what a single in-memory member knows: it is the leader and has been since it started, every
/// proposal is committed and applied at once, its database size is the one Status reports, and the
/// gRPC byte counters count marshalled messages as etcd's codec does.
/// </summary>
internal static class MetricsEndpoint
{
    private static readonly RangeRequest AllKeys = new() { Key = ByteString.CopyFrom(0), RangeEnd = ByteString.CopyFrom(0), CountOnly = true };

    public static Task HandleAsync(HttpContext http, Applier applier, EtcdProfile profile, GrpcTraffic traffic)
    {
        var metrics = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Metric(string name, string type, string help, double value, string labels = "") =>
            metrics[name] = $"# HELP {name} {help}\n# TYPE {name} {type}\n{name}{labels} {value.ToString(CultureInfo.InvariantCulture)}\n";

        var index = (double)applier.RaftIndex;
        var dbSize = (double)applier.ApproximateDbSize;
        Metric("etcd_cluster_version", "gauge", "Which version is running. 1 for 'cluster_version' label with current cluster version", 1,
            $"{{cluster_version=\"{VersionEndpoint.ClusterVersion(profile.Version)[..^2]}\"}}");
        Metric("etcd_debugging_mvcc_current_revision", "gauge", "The current revision of store.", applier.CurrentRevision);
        Metric("etcd_debugging_mvcc_keys_total", "gauge", "Total number of keys.", applier.Range(AllKeys).Count);
        Metric("etcd_debugging_mvcc_db_total_size_in_bytes", "gauge", "Total size of the underlying database physically allocated in bytes.", dbSize);
        Metric("etcd_mvcc_db_total_size_in_bytes", "gauge", "Total size of the underlying database physically allocated in bytes.", dbSize);
        Metric("etcd_mvcc_db_total_size_in_use_in_bytes", "gauge", "Total size of the underlying database logically in use in bytes.", dbSize);
        Metric("etcd_network_client_grpc_received_bytes_total", "counter", "The total number of bytes received from grpc clients.", traffic.ReceivedBytes);
        Metric("etcd_network_client_grpc_sent_bytes_total", "counter", "The total number of bytes sent to grpc clients.", traffic.SentBytes);
        var requests = traffic.Requests;
        if (requests.Count > 0)
        {
            // One sample per label pair, as Prometheus' client writes a counter vector (absent until the first call).
            const string name = "etcd_server_client_requests_total";
            metrics[name] = $"# HELP {name} The total number of client requests per client version.\n# TYPE {name} counter\n"
                + string.Concat(requests.Select(r => $"{name}{{client_api_version=\"{r.Version}\",type=\"{r.Type}\"}} {r.Count.ToString(CultureInfo.InvariantCulture)}\n"));
        }

        Metric("etcd_server_has_leader", "gauge", "Whether or not a leader exists. 1 is existence, 0 is not.", 1);
        Metric("etcd_server_is_leader", "gauge", "Whether or not this member is a leader. 1 if is, 0 otherwise.", 1);
        Metric("etcd_server_leader_changes_seen_total", "counter", "The number of leader changes seen.", 1);
        Metric("etcd_server_proposals_applied_total", "gauge", "The total number of consensus proposals applied.", index);
        Metric("etcd_server_proposals_committed_total", "gauge", "The total number of consensus proposals committed.", index);
        Metric("etcd_server_proposals_failed_total", "counter", "The total number of failed proposals seen.", 0);
        Metric("etcd_server_proposals_pending", "gauge", "The current number of pending proposals to commit.", 0);
        Metric("etcd_server_version", "gauge", "Which version is running. 1 for 'server_version' label with current version.", 1,
            $"{{server_version=\"{profile.Version}\"}}");
        // As Prometheus' client writes them: sorted by name.
        return Respond.WriteAsync(http, StatusCodes.Status200OK, "text/plain; version=0.0.4; charset=utf-8", string.Concat(metrics.Values));
    }
}

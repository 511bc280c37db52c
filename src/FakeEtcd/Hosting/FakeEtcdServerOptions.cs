using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace FakeEtcd;

/// <summary>How a <see cref="FakeEtcdServer"/> listens and which etcd limits it enforces.</summary>
public sealed class FakeEtcdServerOptions
{
    /// <summary>The member name (etcd's <c>--name</c>), shown by <c>etcdctl member list</c>.</summary>
    public string Name { get; set; } = "default";

    /// <summary>
    /// Where to accept client connections (etcd's <c>--listen-client-urls</c>): <c>http://host:port</c>
    /// or <c>https://host:port</c> (needs <see cref="ServerCertificate"/>) with an IP address or
    /// <c>localhost</c>. Port 0 picks a free port. Default: 127.0.0.1 (loopback only), free port.
    /// <c>unix://</c> and <c>unixs://</c> (TLS) listen on a Unix domain socket whose file is what
    /// follows the "//" (etcd's <c>unix://localhost:2379</c> is the file <c>localhost:2379</c>).
    /// </summary>
    public IList<Uri> ListenClientUrls { get; } = [new Uri("http://127.0.0.1:0")];

    /// <summary>URLs reported to clients by MemberList (etcd's <c>--advertise-client-urls</c>); default: the bound listen URLs.</summary>
    public IList<Uri> AdvertiseClientUrls { get; } = [];

    /// <summary>Peer URLs reported by MemberList (etcd's <c>--initial-advertise-peer-urls</c>).</summary>
    public IList<Uri> AdvertisePeerUrls { get; } = [new Uri("http://localhost:2380")];

    /// <summary>
    /// Which etcd release to follow where etcd 3.4 and 3.5 differ (docs/compatibility.md).
    /// Default: <see cref="EtcdCompatibility.Etcd35"/>, Status reports 3.5.26;
    /// <see cref="EtcdCompatibility.Etcd34"/> answers as etcd 3.4.23 does.
    /// </summary>
    public EtcdCompatibility Compatibility { get; set; } = EtcdCompatibility.Etcd35;

    /// <summary>The most operations in one list of a Txn (etcd's <c>--max-txn-ops</c>, default 128).</summary>
    public int MaxTxnOps { get; set; } = 128;

    /// <summary>The largest write request accepted (etcd's <c>--max-request-bytes</c>, default 1.5 MiB).</summary>
    public int MaxRequestBytes { get; set; } = 1536 * 1024;

    /// <summary>
    /// The backend size in bytes at which writes that add data raise the NOSPACE alarm and fail with
    /// "etcdserver: mvcc: database space exceeded" (etcd's <c>--quota-backend-bytes</c>): 0, the default, is
    /// etcd's 2 GiB; a negative value turns the quota off. The size is FakeEtcd's estimate of etcd's
    /// database file (Status dbSize), with etcd's per-request cost estimate on top.
    /// </summary>
    public long QuotaBackendBytes { get; set; }

    /// <summary>
    /// The clock every server timer runs on (lease expiry, progress notify). Default: a new
    /// <see cref="VirtualClock"/>, so time moves only when the test advances it. Pass
    /// <see cref="System.TimeProvider.System"/> for wall-clock time.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// With a <see cref="VirtualClock"/>: how many times faster than wall time virtual time runs on
    /// its own (0, the default: only <see cref="VirtualClock.AdvanceAsync"/> moves it).
    /// </summary>
    public double TimeScale { get; set; }

    /// <summary>
    /// The smallest lease TTL in seconds; shorter grants are raised to it. etcd derives it from the
    /// election timeout: ceil(1.5 × 1 s) = 2 s with default settings.
    /// </summary>
    public long MinLeaseTtlSeconds { get; set; } = 2;

    /// <summary>
    /// How often a watch stream sends progress notifications to its <c>progress_notify</c> watchers
    /// that saw no events since the last one (etcd's <c>--experimental-watch-progress-notify-interval</c>,
    /// default 10 minutes), measured on the server's clock.
    /// </summary>
    public TimeSpan WatchProgressNotifyInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long (wall time) a clock follower in another process may take to report a tick done before
    /// the advance fails with <see cref="FollowerTimeoutException"/> and the follower is disconnected.
    /// Default 5 s (standalone: <c>--follower-timeout</c>).
    /// </summary>
    public TimeSpan FollowerTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Responses one watch stream may queue before its watchers fall back to catch-up from history (tests shrink it).</summary>
    internal int WatchStreamCapacity { get; set; } = 1024;

    /// <summary>
    /// The cluster token (etcd's <c>--initial-cluster-token</c>, default <c>etcd-cluster</c>); with the
    /// peer URLs it gives the member id, as on etcd.
    /// </summary>
    public string InitialClusterToken { get; set; } = "etcd-cluster";

    /// <summary>A fixed member id; default: etcd's, from the peer URLs and cluster token (8e9e05c52164694d with the defaults).</summary>
    public ulong? MemberId { get; set; }

    /// <summary>A fixed cluster id; default: etcd's, from the member id (cdf818194e3a8c32 with the defaults).</summary>
    public ulong? ClusterId { get; set; }

    /// <summary>
    /// Run as a deterministic simulation: record <see cref="FakeEtcdServer.History"/>, accept
    /// <see cref="FakeEtcdServer.Faults"/>, break ties with a seed. Default: off.
    /// </summary>
    public Simulation.SimulationOptions? Simulation { get; set; }

    /// <summary>Where the server's own logs go; default: nowhere (in-process fixtures stay quiet).</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    // ---- TLS (etcd's --cert-file, --key-file, --trusted-ca-file, --client-cert-auth) ----

    /// <summary>
    /// The certificate, with its private key, that <c>https://</c> listen URLs present (etcd's
    /// <c>--cert-file</c> and <c>--key-file</c>); HTTP/2 is negotiated by ALPN. Plain <c>http://</c>
    /// URLs stay cleartext. Default: none, and an <c>https://</c> listen URL is an error.
    /// </summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>
    /// When set, <c>https://</c> listeners require a client certificate that chains to this CA
    /// (etcd's <c>--client-cert-auth</c> with <c>--trusted-ca-file</c>); connections without one fail
    /// the TLS handshake. Default: none, client certificates are neither asked for nor checked.
    /// <see cref="FakeEtcdServer.CreateChannel"/> presents no client certificate.
    /// </summary>
    public X509Certificate2? ClientCertificateAuthority { get; set; }

    /// <summary>
    /// Automatic compaction on the server's clock (etcd's <c>--auto-compaction-mode</c>/<c>--auto-compaction-retention</c>):
    /// <see cref="FakeEtcd.AutoCompaction.Periodic"/> or <see cref="FakeEtcd.AutoCompaction.Revision"/>. Default: none, as on etcd.
    /// </summary>
    public AutoCompaction? AutoCompaction { get; set; }
}

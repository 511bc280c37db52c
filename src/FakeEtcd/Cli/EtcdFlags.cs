namespace FakeEtcd.Cli;

/// <summary>
/// The flags etcd 3.4's command line defines (etcdmain/config.go). FakeEtcd accepts every one, so a
/// script or compose file written for etcd runs unchanged; those it does not implement are ignored
/// with a warning. A flag etcd does not define is an error, as on etcd.
/// </summary>
internal static class EtcdFlags
{
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "advertise-client-urls", "auth-token", "auth-token-ttl", "auto-compaction-mode", "auto-compaction-retention", "auto-tls",
        "backend-batch-interval", "backend-batch-limit", "bcrypt-cost", "cert-file", "cipher-suites", "client-cert-allowed-hostname",
        "client-cert-auth", "client-crl-file", "config-file", "cors", "data-dir", "debug", "discovery", "discovery-fallback",
        "discovery-proxy", "discovery-srv", "discovery-srv-name", "election-timeout", "enable-grpc-gateway", "enable-pprof",
        "enable-v2", "experimental-backend-bbolt-freelist-type", "experimental-compaction-batch-limit",
        "experimental-corrupt-check-time", "experimental-enable-lease-checkpoint", "experimental-enable-lease-checkpoint-persist",
        "experimental-enable-v2v3", "experimental-initial-corrupt-check", "experimental-peer-skip-client-san-verification",
        "experimental-warning-apply-duration", "experimental-watch-progress-notify-interval", "force-new-cluster",
        "grpc-keepalive-interval", "grpc-keepalive-min-time", "grpc-keepalive-timeout", "heartbeat-interval", "host-whitelist",
        "initial-advertise-peer-urls", "initial-cluster", "initial-cluster-state", "initial-cluster-token",
        "initial-election-tick-advance", "key-file", "listen-client-urls", "listen-metrics-urls", "listen-peer-urls", "log-level",
        "log-output", "log-outputs", "log-package-levels", "logger", "max-concurrent-streams", "max-request-bytes", "max-snapshots",
        "max-txn-ops", "max-wals", "metrics", "name", "peer-auto-tls", "peer-cert-allowed-cn", "peer-cert-allowed-hostname",
        "peer-cert-file", "peer-client-cert-auth", "peer-crl-file", "peer-key-file", "peer-trusted-ca-file", "pre-vote", "proxy",
        "proxy-dial-timeout", "proxy-failure-wait", "proxy-read-timeout", "proxy-refresh-interval", "proxy-write-timeout",
        "quota-backend-bytes", "snapshot-count", "strict-reconfig-check", "trusted-ca-file", "unsafe-no-fsync", "version", "wal-dir",
    };

    /// <summary>The environment variable etcd reads for <paramref name="flag"/>: ETCD_ and the name in upper case, dashes as underscores.</summary>
    public static string EnvironmentName(string flag) => "ETCD_" + flag.ToUpperInvariant().Replace('-', '_');
}

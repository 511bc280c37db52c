using Microsoft.Extensions.Logging;

namespace Election;

/// <summary>How an <see cref="ActiveStandbySession"/> registers (the fields of Milvus's session).</summary>
public sealed class SessionOptions
{
    /// <summary>Root of the meta keys; sessions live under <c>&lt;MetaRoot&gt;/session/</c>. Milvus: <c>etcd.rootPath/etcd.metaSubPath</c>.</summary>
    public string MetaRoot { get; set; } = "by-dev/meta";

    /// <summary>The role, e.g. "rootcoord": the ACTIVE key is <c>&lt;MetaRoot&gt;/session/&lt;ServerName&gt;</c>.</summary>
    public string ServerName { get; set; } = string.Empty;

    /// <summary>"ip:port" other processes use to reach this one; stored in the session value.</summary>
    public string Address { get; set; } = string.Empty;

    /// <summary>Lease TTL (Milvus <c>common.session.ttl</c>). etcd rounds up to whole seconds and raises it to its minimum (2 s).</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Run as an active-standby candidate (register <c>name-id</c>, then race for the ACTIVE key).
    /// When false the session registers the ACTIVE key directly (exclusive, no standby) and fails if it is taken.
    /// </summary>
    public bool EnableActiveStandby { get; set; } = true;

    /// <summary>The clock for keepalives, deadlines, retries and the standby log. Share FakeEtcd's virtual clock in tests.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the session logs; wins over <see cref="LoggerFactory"/>.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>Creates the session's logger (category <c>Election.ActiveStandbySession</c>) when <see cref="Logger"/> is not set.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// The version written into the session value (Milvus: the server's semver). Milvus parses it strictly
    /// (blang/semver: <c>MAJOR.MINOR.PATCH[-pre][+build]</c>, no leading <c>v</c>) and a value it cannot
    /// parse fails its whole session listing, so registering checks it.
    /// </summary>
    public string Version { get; set; } = "2.5.15";

    /// <summary>Which Milvus generation's value layout to write; default <see cref="SessionValueLayout.Milvus25"/>.</summary>
    public SessionValueLayout ValueLayout { get; set; } = SessionValueLayout.Milvus25;

    /// <summary>The host name written into the session value; empty leaves it out.</summary>
    public string HostName { get; set; } = string.Empty;

    /// <summary>How often a standby logs "is in STANDBY" (Milvus: 10 s).</summary>
    public TimeSpan StandbyLogInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long <see cref="ActiveStandbySession.StopAsync"/> waits for the lease revoke before leaving the lease to expire (Milvus: Revoke(time.Second)).</summary>
    public TimeSpan RevokeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether <see cref="ActiveStandbySession.StopAsync"/> waits for the activation to return before it
    /// revokes the lease (the default, safe) or revokes first (faster, the old active's work may overlap the new one's).
    /// </summary>
    public SessionStopOrder StopOrder { get; set; } = SessionStopOrder.ActivationFirst;

    /// <summary>How many times registration is tried before it fails (Milvus <c>common.session.retryTimes</c>: 30).</summary>
    public int RegisterRetries { get; set; } = 30;

    /// <summary>The back-off after the first failed registration try; it doubles after each one (Milvus <c>retry.Do</c>: 200 ms).</summary>
    public TimeSpan RegisterRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest back-off between registration tries (Milvus <c>retry.Do</c>: 3 s).</summary>
    public TimeSpan RegisterRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Back-off after a failed ACTIVE CAS that was an error rather than a lost race (Milvus: 100 ms).</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}

using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Election.Hosting;

/// <summary>
/// How the hosted session runs. <c>AddActiveStandby</c> fills it from Milvus's keys; every property can
/// also be set in code. Checked when the host starts.
/// </summary>
public sealed class ActiveStandbyHostOptions
{
    /// <summary>The coordinator role, as Milvus names its session: rootcoord, datacoord, querycoord, indexcoord or mixcoord.</summary>
    public string Role { get; set; } = string.Empty;

    /// <summary>etcd.endpoints (ETCD_ENDPOINTS): where the default channel connects; default localhost:2379.</summary>
    public IReadOnlyList<Uri> Endpoints { get; set; } = EtcdEndpoints.Parse(EtcdEndpoints.Default);

    /// <summary>etcd.rootPath + "/" + etcd.metaSubPath (ETCD_ROOT_PATH, ETCD_META_SUB_PATH): by-dev/meta.</summary>
    public string MetaRoot { get; set; } = "by-dev/meta";

    /// <summary>common.session.ttl (COMMON_SESSION_TTL): the session lease's TTL, whole seconds; default 60.</summary>
    public TimeSpan SessionTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>common.session.retryTimes (COMMON_SESSION_RETRY_TIMES): register tries; default 30.</summary>
    public int RegisterRetries { get; set; } = 30;

    /// <summary>
    /// &lt;role&gt;.enableActiveStandby (e.g. ROOT_COORD_ENABLE_ACTIVE_STANDBY); Milvus's default is false:
    /// the process then claims the ACTIVE key at start-up and fails if another holds it.
    /// </summary>
    public bool EnableActiveStandby { get; set; }

    /// <summary>&lt;role&gt;.address (e.g. ROOT_COORD_ADDRESS): the address stored in the session value; default localhost and the role's port.</summary>
    public string Address { get; set; } = string.Empty;

    /// <summary>
    /// Whether a lost session (lease expired, not found, or the ACTIVE key deleted) stops the application,
    /// as Milvus exits there; default true. The status then reads Lost, and <see cref="ActiveStandbyStatus.ExitCode"/> is 1.
    /// </summary>
    public bool StopApplicationOnLoss { get; set; } = true;

    /// <summary>
    /// Where the session's etcd calls go; by default one gRPC channel over <see cref="Endpoints"/>
    /// (pick-first when there are several). Set it for TLS, credentials, or FakeEtcd's counted invokers.
    /// </summary>
    public Func<IServiceProvider, CallInvoker>? Etcd { get; set; }

    /// <summary>Last say over the session's options (log intervals, stop order, retry delays), applied after these.</summary>
    public Action<SessionOptions>? ConfigureSession { get; set; }

    /// <summary>
    /// Reads <paramref name="role"/>'s settings from <paramref name="configuration"/> as
    /// <c>AddActiveStandby</c> does, and checks them as the host's start would: for a program that needs
    /// them before its host is built (to connect to the endpoints on a clock of its own, say).
    /// </summary>
    /// <param name="configuration">Where Milvus's keys are looked up.</param>
    /// <param name="role">rootcoord, datacoord, querycoord, indexcoord or mixcoord.</param>
    /// <returns>The settings, Milvus's defaults where the configuration is silent.</returns>
    /// <exception cref="OptionsValidationException">A value is bad; the message names each by its Milvus key.</exception>
    public static ActiveStandbyHostOptions FromConfiguration(IConfiguration configuration, string role)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(role);
        var options = new ActiveStandbyHostOptions();
        MilvusConfiguration.Apply(configuration, role, options);
        var result = new ActiveStandbyHostOptionsValidator().Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(ActiveStandbyHostOptions), result.Failures) : options;
    }

    /// <summary>Values from configuration that did not parse, reported when the host starts.</summary>
    internal List<string> Problems { get; } = [];
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using FakeEtcd.Apply;
using FakeEtcd.Clock;
using FakeEtcd.Cluster;
using FakeEtcd.Concurrency;
using FakeEtcd.Grpc;
using FakeEtcd.Grpc.Follow;
using FakeEtcd.Grpc.Interceptors;
using FakeEtcd.Grpc.Services;
using FakeEtcd.Grpc.Streams;
using FakeEtcd.Grpc.UrlClients;
using FakeEtcd.Hosting;
using FakeEtcd.Http;
using FakeEtcd.Http.Gateway;
using FakeEtcd.Leases;
using FakeEtcd.Simulation;
using FakeEtcd.Simulation.Edge;
using FakeEtcd.Simulation.Faults;
using FakeEtcd.Simulation.History;
using FakeEtcd.Transport.InMemory;
using FakeEtcd.Watch;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FakeEtcd;

/// <summary>
/// A running FakeEtcd: an etcd v3 gRPC server on Kestrel (HTTP/2, cleartext or TLS), started in one call.
/// <code>
/// await using var server = await FakeEtcdServer.StartAsync();
/// var client = new EtcdClient(server.ClientUrl.ToString());
/// </code>
/// Many servers can run side by side in one process; disposing one frees its port.
/// </summary>
public sealed class FakeEtcdServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Parts _parts;
    private readonly Lazy<GrpcChannel> _sharedChannel;
    private readonly X509Certificate2? _serverCertificate;
    private readonly InMemoryTransport _inMemory;
    private readonly IDisposable? _clientsObserved;
    private int _disposed;

    private FakeEtcdServer(
        WebApplication app, Parts parts, IReadOnlyList<Uri> clientUrls, X509Certificate2? serverCertificate, InMemoryTransport inMemory)
    {
        _inMemory = inMemory;
        _serverCertificate = serverCertificate;
        _app = app;
        _parts = parts;
        ClientUrls = clientUrls;

        // The fixture's own channel is counted by its interceptor; its authority keeps it apart from URL clients.
        _sharedChannel = new Lazy<GrpcChannel>(() => _inMemory.CreateChannel(new UriBuilder(Uri.UriSchemeHttp, FixtureHost, ClientUrl.Port).Uri, untraced: true));
        if (parts.Clock.Virtual is not null)
        {
            _clientsObserved = InProcessClients.Register(clientUrls, parts.Handovers);
        }
    }

    /// <summary>The host name in the <c>:authority</c> of the fixture's own in-memory channel.</summary>
    private const string FixtureHost = "fixture" + InProcessClients.UncountedHostSuffix;

    /// <summary>The first URL clients can connect to, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri ClientUrl => ClientUrls[0];

    /// <summary>Every bound client URL, with port 0 resolved to the actual port.</summary>
    public IReadOnlyList<Uri> ClientUrls { get; }

    /// <summary>This member's id, as reported in every response header.</summary>
    public ulong MemberId => _parts.Identity.MemberId;

    /// <summary>The cluster id, as reported in every response header.</summary>
    public ulong ClusterId => _parts.Identity.ClusterId;

    /// <summary>The server's clock.</summary>
    public TimeProvider TimeProvider => _parts.Clock.Time;

    /// <summary>
    /// The server's virtual clock: advance it to expire leases and fire timers deterministically.
    /// Throws when the server was started with another <see cref="System.TimeProvider"/>.
    /// </summary>
    public VirtualClock Clock => _parts.Clock.Virtual
        ?? throw new InvalidOperationException("this server runs on " + _parts.Clock.Time.GetType().Name + ", not a VirtualClock");

    /// <summary>The current revision of the key space.</summary>
    public long Revision => _parts.Applier.CurrentRevision;

    /// <summary>
    /// What the server did, in order, with virtual times and client names (a simulation only: start
    /// with <see cref="FakeEtcdServerOptions.Simulation"/>).
    /// </summary>
    public SimulationHistory History => Simulator.History;

    /// <summary>Fault injection: schedule faults as data (a simulation only).</summary>
    public FaultInjector Faults => Simulator.Faults;

    /// <summary>The apply path (for tests that read the committed history directly).</summary>
    internal Applier Applier => _parts.Applier;

    private Simulator Simulator => _parts.Simulator
        ?? throw new InvalidOperationException("this server is not a simulation: start it with FakeEtcdServerOptions.Simulation set");

    /// <summary>Starts a server and returns once it accepts connections.</summary>
    public static async Task<FakeEtcdServer> StartAsync(FakeEtcdServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeEtcdServerOptions();
        var limits = new EtcdLimits(
            options.MaxTxnOps,
            options.MaxRequestBytes,
            options.QuotaBackendBytes == 0 ? EtcdLimits.DefaultQuotaBytes : options.QuotaBackendBytes);
        var identity = new MemberIdentity(
            options.Name,
            [],
            [.. options.AdvertisePeerUrls.Select(u => u.OriginalString.TrimEnd('/'))],
            options.MemberId,
            options.ClusterId,
            options.InitialClusterToken);
        var clock = options.TimeProvider ?? new VirtualClock();
        var activity = clock is VirtualClock virtualClock ? virtualClock.Activity : new ActivityTracker();
        var applier = new Applier(limits, clock, new LeaseOptions(options.MinLeaseTtlSeconds), identity.MemberId);
        var profile = EtcdProfile.For(options.Compatibility);
        var simulator = options.Simulation is { } simulation ? new Simulator(identity, applier, clock, activity, simulation) : null;
        var compactor = options.AutoCompaction is { } compaction ? new AutoCompactor(applier, clock, compaction) : null;
        var parts = new Parts(identity, applier, new ServerClock(clock), activity, new StreamHandovers(activity), simulator, compactor);
        if (simulator is not null && clock is VirtualClock simulated)
        {
            simulated.FailureDiagnostics = simulator.History.ToText;
        }

        var inMemory = new InMemoryTransport();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(options.LoggerFactory ?? NullLoggerFactory.Instance);
        builder.Services.AddSingleton<IHostLifetime, ProcessNeutralLifetime>();
        builder.WebHost.UseKestrel(kestrel =>
        {
            // etcd's gRPC server takes any number of concurrent streams on one connection (grpc-go's
            // default); Kestrel's default of 100 would stall the 101st watch or campaign of a client.
            kestrel.Limits.Http2.MaxStreamsPerConnection = int.MaxValue;
            foreach (var url in options.ListenClientUrls)
            {
                ClientListeners.Listen(kestrel, url, options, activity);
            }
        });
        inMemory.AttachTo(builder);
        // What the services take by construction; nothing is handed around as a whole.
        builder.Services.AddSingleton(identity);
        builder.Services.AddSingleton(applier);
        builder.Services.AddSingleton(profile);
        builder.Services.AddSingleton(activity);
        builder.Services.AddSingleton(parts.Handovers);
        builder.Services.AddSingleton(parts.Clock);
        var gateway = new GatewayCalls();
        builder.Services.AddSingleton(gateway);
        if (simulator is not null)
        {
            builder.Services.AddSingleton(simulator);
        }

        builder.Services.AddSingleton(new WatchHub(applier, profile, simulator, simulator));
        builder.Services.AddSingleton(new KeyWaits(applier, activity));
        builder.Services.AddSingleton(new WatchSettings(options.WatchProgressNotifyInterval, limits.MaxReceiveMessageBytes, options.WatchStreamCapacity));
        var followers = clock is VirtualClock followed ? new FollowerHub(followed, options.FollowerTimeout) : null;
        if (followers is not null)
        {
            ((VirtualClock)clock).Participant = followers;
            builder.Services.AddSingleton(followers);
        }

        var traffic = new GrpcTraffic();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = Math.Max(64 * 1024 * 1024, 2 * limits.MaxReceiveMessageBytes);
            grpc.MaxSendMessageSize = null;
            if (simulator is not null)
            {
                grpc.Interceptors.Add<SimulationInterceptor>(simulator);
            }

            grpc.Interceptors.Add<ClientRequestsInterceptor>(); // the singleton below: an interceptor given arguments is created per call
            grpc.Interceptors.Add<ReceiveLimitInterceptor>(limits);
            if (followers is not null)
            {
                grpc.Interceptors.Add<ServerActivityInterceptor>(activity, parts.Handovers, followers);
            }
            else
            {
                grpc.Interceptors.Add<ServerActivityInterceptor>(activity, parts.Handovers);
            }

            grpc.Interceptors.Add<EtcdErrorInterceptor>();
            grpc.Interceptors.Add<ResponseHeaderInterceptor>(identity);
        });
        // Services bind through EtcdServiceMethodProvider (etcd's request decoding) instead of the default provider.
        builder.Services.RemoveAll(typeof(IServiceMethodProvider<>));
        builder.Services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(EtcdServiceMethodProvider<>));
        builder.Services.AddSingleton(traffic);
        builder.Services.AddSingleton(new ClientRequestsInterceptor(traffic));

        var app = builder.Build();
        app.UseGoUnimplementedMessages();
        app.UseEtcdCors();
        app.MapGrpcService<KvService>();
        app.MapGrpcService<LeaseService>();
        app.MapGrpcService<WatchService>();
        app.MapGrpcService<MaintenanceService>();
        app.MapGrpcService<ClusterService>();
        app.MapGrpcService<AuthService>();
        app.MapGrpcService<ElectionService>();
        app.MapGrpcService<LockService>();
        app.MapGrpcService<HealthService>();
        app.MapGrpcService<ClockControlService>();
        app.MapGrpcService<FaultsControlService>();
        app.MapClientHttpEndpoints();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Where(a => !InMemoryTransport.IsListed(a))
            .Select(a => ClientListeners.FromBoundAddress(a, options.ListenClientUrls)).ToList();
        identity.ClientUrls = options.AdvertiseClientUrls.Count > 0
            ? [.. options.AdvertiseClientUrls.Select(u => u.OriginalString.TrimEnd('/'))]
            : [.. bound.Select(ClientListeners.Text)];
        if (options.TimeScale > 0 && clock is VirtualClock scaled)
        {
            parts.Clock.SetScale(scaled, options.TimeScale);
        }

        var server = new FakeEtcdServer(app, parts, bound, options.ServerCertificate, inMemory);
        gateway.Attach(server.CreateCallInvoker);
        return server;
    }

    /// <summary>
    /// A new channel to this server; the caller owns and disposes it. On a virtual clock its calls are
    /// counted by the settle from the diagnostics events of the gRPC client, as any channel to the
    /// server's URL in this process (see the README); <see cref="CreateCallInvoker"/> counts more closely.
    /// Over <c>https://</c> it trusts exactly the server's own certificate (and whatever the system trusts).
    /// </summary>
    public GrpcChannel CreateChannel()
    {
        var options = new GrpcChannelOptions { MaxReceiveMessageSize = null, ThrowOperationCanceledOnCancellation = true };
        if (_serverCertificate is { } own && ClientUrl.Scheme is "https" or ClientListeners.UnixTlsScheme)
        {
            var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
            handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                errors == SslPolicyErrors.None || (presented is not null && presented.GetCertHashString() == own.GetCertHashString());
            options.HttpHandler = handler;
            options.DisposeHttpClient = true;
        }

        if (ClientUrl.Scheme is ClientListeners.UnixScheme or ClientListeners.UnixTlsScheme)
        {
            var socket = Path.GetFullPath(ClientListeners.UnixSocketPath(ClientUrl));
            var handler = options.HttpHandler as SocketsHttpHandler ?? new SocketsHttpHandler();
            handler.ConnectCallback = (_, cancellationToken) => UnixSocketStream.ConnectAsync(socket, cancellationToken);
            options.HttpHandler = handler;
            options.DisposeHttpClient = true;
            return GrpcChannel.ForAddress(ClientUrl.Scheme == ClientListeners.UnixTlsScheme ? "https://localhost" : "http://localhost", options);
        }

        return GrpcChannel.ForAddress(ClientUrl, options);
    }

    /// <summary>
    /// A new channel to this server over an in-memory connection (HTTP/2 over pipes: no socket, no
    /// port): the cheapest way for code in the same process to call the server, measured at two thirds
    /// of a loopback round trip. Cleartext also when the server listens on <c>https://</c>. Its calls are
    /// counted by the settle as a URL channel's are; the caller owns and disposes it.
    /// </summary>
    public GrpcChannel CreateInMemoryChannel() => _inMemory.CreateChannel(ClientUrl);

    /// <summary>
    /// A call invoker on an in-memory channel the server owns (disposed with it), e.g. for
    /// <c>new EtcdClient(server.CreateCallInvoker())</c>. Its unary calls are counted by the virtual
    /// clock's settle, so <see cref="VirtualClock.AdvanceAsync"/> waits for them.
    /// </summary>
    public CallInvoker CreateCallInvoker() => _sharedChannel.Value.Intercept(new ClientActivityInterceptor(_parts.Activity, _parts.Handovers));

    /// <summary>
    /// A call invoker for a client named <paramref name="name"/>: like <see cref="CreateCallInvoker"/>
    /// (counted by the settle), and every call carries the name, so the server attributes its requests,
    /// streams and leases to it and client faults (partitions, keepalive and watch faults) apply to it.
    /// </summary>
    public CallInvoker CreateClient(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return _sharedChannel.Value
            .Intercept(new ClientActivityInterceptor(_parts.Activity, _parts.Handovers))
            .Intercept(new NamedClientInterceptor(name, _parts.Simulator?.Faults, _parts.Activity));
    }

    /// <summary>Stops the server, ending open streams, and frees its port.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_sharedChannel.IsValueCreated)
        {
            _sharedChannel.Value.Dispose();
        }

        _clientsObserved?.Dispose();

        await _parts.Clock.DisposeAsync().ConfigureAwait(false);
        _inMemory.AbortAll(); // As a stopping process's sockets reset: Kestrel would otherwise wait for their open streams.
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _parts.Compactor?.Dispose();
        _parts.Applier.Dispose();
    }

    /// <summary>What the server is made of, kept for its own properties and disposal.</summary>
    private sealed record Parts(
        MemberIdentity Identity, Applier Applier, ServerClock Clock, ActivityTracker Activity, StreamHandovers Handovers, Simulator? Simulator,
        AutoCompactor? Compactor);
}

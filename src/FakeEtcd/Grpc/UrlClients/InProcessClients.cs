using System.Collections.Concurrent;
using System.Diagnostics;
using FakeEtcd.Clock;
using FakeEtcd.Grpc.Streams;

namespace FakeEtcd.Grpc.UrlClients;

/// <summary>
/// Counts, for the settle, the calls that clients in this process make to a FakeEtcd server of this
/// process by its URL (a <c>GrpcChannel.ForAddress(server.ClientUrl)</c>, a dotnet-etcd
/// <c>EtcdClient(url)</c>, over TCP or TLS, or an in-memory channel), without the user changing how they
/// build them. It listens to the diagnostics events that Grpc.Net.Client (<c>Grpc.Net.Client.GrpcOut</c>,
/// raised on the caller's thread as a call starts, and when it ends) and SocketsHttpHandler
/// (<c>System.Net.Http.HttpRequestOut.Stop</c>, as response headers arrive) publish in process: a call
/// to a registered address carries a marker and, for streams, a handover token; its request and
/// response bodies are wrapped so each message counts until the other side has read it. Clients in
/// other processes, and clients that are not Grpc.Net.Client over SocketsHttpHandler, are not seen.
/// </summary>
internal static class InProcessClients
{
    private const string GrpcListener = "Grpc.Net.Client";
    private const string HttpListener = "HttpHandlerDiagnosticListener";
    private const string GrpcStart = "Grpc.Net.Client.GrpcOut.Start";
    private const string GrpcStop = "Grpc.Net.Client.GrpcOut.Stop";
    private const string HttpStart = "System.Net.Http.HttpRequestOut.Start";
    private const string HttpStop = "System.Net.Http.HttpRequestOut.Stop";
    private static readonly HttpRequestOptionsKey<PendingCall> PendingKey = new("FakeEtcd.PendingCall");

    private static readonly ConcurrentDictionary<string, StreamHandovers> Servers = new(StringComparer.OrdinalIgnoreCase);
    private static readonly ConcurrentDictionary<(Type, string), System.Reflection.PropertyInfo?> Properties = new();
    private static readonly Lock Gate = new();
    private static IDisposable? _subscription;

    /// <summary>Counts calls to <paramref name="urls"/> in the activity of <paramref name="handovers"/> until disposed.</summary>
    public static IDisposable Register(IEnumerable<Uri> urls, StreamHandovers handovers)
    {
        var authorities = urls.SelectMany(Aliases).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var authority in authorities)
        {
            Servers[authority] = handovers;
        }

        lock (Gate)
        {
            _subscription ??= DiagnosticListener.AllListeners.Subscribe(new ListenerObserver());
        }

        return new Registration(authorities, handovers);
    }

    /// <summary>The tracker of the server <paramref name="request"/> goes to, if it is one of this process's.</summary>
    private static StreamHandovers? HandoversFor(HttpRequestMessage request) =>
        !Servers.IsEmpty && request.RequestUri is { } uri && Servers.TryGetValue(uri.Authority, out var handovers) ? handovers : null;

    /// <summary>A loopback server is reached as 127.0.0.1, localhost or [::1] alike.</summary>
    private static IEnumerable<string> Aliases(Uri url)
    {
        yield return url.Authority;
        if (url.IsLoopback)
        {
            yield return $"localhost:{url.Port}";
            yield return $"127.0.0.1:{url.Port}";
            yield return $"[::1]:{url.Port}";
        }
    }

    private static T? Property<T>(object? payload, string name)
        where T : class
    {
        if (payload is null)
        {
            return null;
        }

        var property = Properties.GetOrAdd((payload.GetType(), name), static key => key.Item1.GetProperty(key.Item2));
        return property?.GetValue(payload) as T;
    }

    /// <summary>
    /// A channel with a resolver (dotnet-etcd's <c>EtcdClient(url)</c>, <c>dns:///</c>, <c>static:///</c>)
    /// names no address until a balancer has picked one: such a host may be any server of this process.
    /// </summary>
    private static bool MayBeOurs(Uri uri) =>
        uri.HostNameType == UriHostNameType.Dns && !uri.IsLoopback && !uri.Host.EndsWith(UncountedHostSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Hosts under this name are the fixture's own channels, which their interceptor counts: no event, no Activity.</summary>
    public const string UncountedHostSuffix = ".fakeetcd.invalid";

    private static void OnGrpcStart(HttpRequestMessage request)
    {
        if (request.Headers.Contains(StreamHandovers.HeaderName))
        {
            return; // A fixture channel's call, which its own interceptor counts.
        }

        if (HandoversFor(request) is { } handovers)
        {
            Observe(request, handovers);
        }
        else if (request.RequestUri is { } uri && MayBeOurs(uri) && !Servers.IsEmpty)
        {
            // Until the pick names the server, the call counts for every server here: it may be
            // connecting to any of them, and one that settled in that gap would miss it.
            request.Options.Set(PendingKey, new PendingCall([.. Servers.Values.Distinct().Select(h => h.Activity.Begin())]));
        }
    }

    /// <summary>As the request goes to the wire, its address is known: a call that may have been ours is counted by its server, or by none.</summary>
    private static void OnHttpStart(HttpRequestMessage? request)
    {
        if (request is null || !request.Options.TryGetValue(PendingKey, out var pending))
        {
            return;
        }

        if (HandoversFor(request) is { } handovers && !request.Options.TryGetValue(ObservedCall.Key, out _))
        {
            Observe(request, handovers);
        }

        pending.End();
    }

    private static void Observe(HttpRequestMessage request, StreamHandovers handovers)
    {
        if (ObservedCall.Start(request.RequestUri!.AbsolutePath, handovers) is not { } call)
        {
            return;
        }

        request.Options.Set(ObservedCall.Key, call);
        request.Headers.TryAddWithoutValidation(ObservedCall.HeaderName, "1");
        if (call.Handover is { } handover)
        {
            request.Headers.TryAddWithoutValidation(StreamHandovers.HeaderName, handover.Token);
            if (call.IsDuplex && request.Content is { } content)
            {
                request.Content = new CountingRequestContent(content, handover, call.Connected);
            }
        }
    }

    private static void OnHttpStop(HttpRequestMessage? request, HttpResponseMessage? response)
    {
        if (request is not null && response is not null && request.Options.TryGetValue(ObservedCall.Key, out var call) && call.Handover is { } handover)
        {
            response.Content = new CountingResponseContent(response.Content, handover);
            call.Connected();
        }
    }

    private static void OnGrpcStop(HttpRequestMessage? request)
    {
        if (request is null)
        {
            return;
        }

        if (request.Options.TryGetValue(PendingKey, out var pending))
        {
            pending.End(); // Failed before it reached the wire.
        }

        if (request.Options.TryGetValue(ObservedCall.Key, out var call))
        {
            call.End();
        }
    }

    /// <summary>A call whose server is not known yet, counted for every server of the process meanwhile.</summary>
    private sealed class PendingCall(ActivityScope[] scopes)
    {
        public void End()
        {
            foreach (var scope in scopes)
            {
                scope.Dispose();
            }
        }
    }

    private sealed class Registration(List<string> authorities, StreamHandovers handovers) : IDisposable
    {
        public void Dispose()
        {
            foreach (var authority in authorities)
            {
                Servers.TryRemove(new KeyValuePair<string, StreamHandovers>(authority, handovers));
            }
        }
    }

    private sealed class ListenerObserver : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener listener)
        {
            switch (listener.Name)
            {
                case GrpcListener:
                    // Only calls to this process's servers get an Activity and events.
                    listener.Subscribe(new EventObserver(), static (name, request, _) =>
                        !Servers.IsEmpty &&
                        (request is not HttpRequestMessage message || HandoversFor(message) is not null || (message.RequestUri is { } uri && MayBeOurs(uri))) &&
                        (name == "Grpc.Net.Client.GrpcOut" || name == GrpcStart || name == GrpcStop));
                    break;
                case HttpListener:
                    // Only calls the gRPC events marked get an HTTP Activity (it costs every request ~2 KB):
                    // the fixture's channels and other HTTP traffic pass untouched.
                    listener.Subscribe(new EventObserver(), static (name, request, _) =>
                        !Servers.IsEmpty &&
                        (request is not HttpRequestMessage message || message.Options.TryGetValue(PendingKey, out PendingCall? _) || message.Options.TryGetValue(ObservedCall.Key, out ObservedCall? _)) &&
                        (name == "System.Net.Http.HttpRequestOut" || name == HttpStart || name == HttpStop));
                    break;
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class EventObserver : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            // A diagnostics callback that throws would fail the user's call: counting is best effort here.
            try
            {
                switch (value.Key)
                {
                    case GrpcStart:
                        if (Property<HttpRequestMessage>(value.Value, "Request") is { } request)
                        {
                            OnGrpcStart(request);
                        }

                        break;
                    case GrpcStop:
                        OnGrpcStop(Property<HttpRequestMessage>(value.Value, "Request"));
                        break;
                    case HttpStart:
                        OnHttpStart(Property<HttpRequestMessage>(value.Value, "Request"));
                        break;
                    case HttpStop:
                        OnHttpStop(Property<HttpRequestMessage>(value.Value, "Request"), Property<HttpResponseMessage>(value.Value, "Response"));
                        break;
                }
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.Reflection.TargetException)
            {
                Debug.Fail(e.ToString());
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}

using FakeEtcd.TestSupport;
using Grpc.Core;
using Grpc.Net.Client;

namespace FakeEtcd.Benchmarks.Failover;

/// <summary>
/// How a coordinator in the test process connects to FakeEtcd: by URL (TCP or TLS), in memory, or
/// through the fixture's invoker. The TLS kind owns a throwaway PKI (the tests' own), disposed with it.
/// </summary>
internal sealed class ClientKind : IDisposable
{
    private readonly TestCertificates? _pki;

    private ClientKind(string name, TestCertificates? pki)
    {
        Name = name;
        _pki = pki;
    }

    public string Name { get; }

    public static IReadOnlyList<string> Names { get; } = ["tcp", "tls", "in-memory", "fixture"];

    public static ClientKind Parse(string name) => name switch
    {
        "tls" => new ClientKind(name, TestCertificates.Create()),
        "tcp" or "in-memory" or "fixture" => new ClientKind(name, null),
        _ => throw new ArgumentException($"unknown client kind '{name}' (expected {string.Join(", ", Names)})", nameof(name)),
    };

    public FakeEtcdServerOptions ServerOptions()
    {
        var options = new FakeEtcdServerOptions();
        if (_pki is not null)
        {
            options.ServerCertificate = _pki.Server;
            options.ListenClientUrls.Clear();
            options.ListenClientUrls.Add(new Uri("https://127.0.0.1:0"));
        }

        return options;
    }

    /// <summary>A channel of this kind, or null for the fixture kind (its invoker is the server's own).</summary>
    public GrpcChannel? OpenChannel(FakeEtcdServer server) => Name switch
    {
        "tcp" => GrpcChannel.ForAddress(server.ClientUrl),
        "tls" => GrpcChannel.ForAddress(server.ClientUrl, new GrpcChannelOptions { HttpHandler = _pki!.Handler() }),
        "in-memory" => server.CreateInMemoryChannel(),
        _ => null,
    };

    public CallInvoker Invoker(FakeEtcdServer server, GrpcChannel? channel) => channel?.CreateCallInvoker() ?? server.CreateCallInvoker();

    public void Dispose() => _pki?.Dispose();
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;

namespace FakeEtcd.Benchmarks.Failover;

/// <summary>How a coordinator in the test process connects to FakeEtcd: by URL (TCP or TLS), in memory, or through the fixture's invoker.</summary>
internal sealed class ClientKind
{
    private readonly X509Certificate2? _certificate;

    private ClientKind(string name, X509Certificate2? certificate)
    {
        Name = name;
        _certificate = certificate;
    }

    public string Name { get; }

    public static IReadOnlyList<string> Names { get; } = ["tcp", "tls", "in-memory", "fixture"];

    public static ClientKind Parse(string name) => name switch
    {
        "tls" => new ClientKind(name, SelfSigned()),
        "tcp" or "in-memory" or "fixture" => new ClientKind(name, null),
        _ => throw new ArgumentException($"unknown client kind '{name}' (expected {string.Join(", ", Names)})", nameof(name)),
    };

    public FakeEtcdServerOptions ServerOptions()
    {
        var options = new FakeEtcdServerOptions();
        if (_certificate is not null)
        {
            options.ServerCertificate = _certificate;
            options.ListenClientUrls.Clear();
            options.ListenClientUrls.Add(new Uri("https://127.0.0.1:0"));
        }

        return options;
    }

    /// <summary>A channel of this kind, or null for the fixture kind (its invoker is the server's own).</summary>
    public GrpcChannel? OpenChannel(FakeEtcdServer server) => Name switch
    {
        "tcp" => GrpcChannel.ForAddress(server.ClientUrl),
        "tls" => GrpcChannel.ForAddress(server.ClientUrl, new GrpcChannelOptions { HttpHandler = TrustingHandler() }),
        "in-memory" => server.CreateInMemoryChannel(),
        _ => null,
    };

    public CallInvoker Invoker(FakeEtcdServer server, GrpcChannel? channel) => channel?.CreateCallInvoker() ?? server.CreateCallInvoker();

    private SocketsHttpHandler TrustingHandler()
    {
        var handler = new SocketsHttpHandler();
        var expected = _certificate!.RawData;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(expected);
        return handler;
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}

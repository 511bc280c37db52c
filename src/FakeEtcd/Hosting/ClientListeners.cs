using System.Net;
using System.Security.Cryptography.X509Certificates;
using FakeEtcd.Clock;
using FakeEtcd.Transport.Http2;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace FakeEtcd.Hosting;

/// <summary>
/// Binds the client listen URLs on Kestrel: gRPC over HTTP/2 and etcd's HTTP endpoints over HTTP/1.1
/// on the same port, as etcd serves them. Cleartext for <c>http://</c> (HTTP/2 by prior knowledge, as
/// gRPC clients speak it) and TLS with ALPN for <c>https://</c>; <c>unix://</c> and <c>unixs://</c>
/// listen on a Unix domain socket, as etcd does.
/// </summary>
internal static class ClientListeners
{
    public static void Listen(KestrelServerOptions kestrel, Uri url, FakeEtcdServerOptions options, ActivityTracker activity)
    {
        var unix = url.Scheme is UnixScheme or UnixTlsScheme;
        var tls = url.Scheme is "https" or UnixTlsScheme;
        if (!tls && !unix && url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"unsupported listen URL scheme in '{url}': use http://, https://, unix:// or unixs://", nameof(url));
        }

        if (tls && options.ServerCertificate is null)
        {
            throw new ArgumentException($"listen URL '{url}' needs a server certificate (--cert-file and --key-file)", nameof(url));
        }

        void ClientPort(ListenOptions listen)
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.Use(next => async connection =>
            {
                // Counted for the settle: see ActivityTracker.UnobservedSocketConnections.
                activity.SocketConnectionOpened(connection.ConnectionId);
                try
                {
                    await next(connection).ConfigureAwait(false);
                }
                finally
                {
                    activity.SocketConnectionClosed(connection.ConnectionId);
                }
            });
            if (tls)
            {
                listen.UseHttps(Https(options.ServerCertificate!, options.ClientCertificateAuthority));
            }
            else
            {
                listen.UseCleartextProtocolSelection();
            }

            // After TLS, so the repair reads decrypted HTTP/2 frames.
            listen.UseHttp2AuthorityRepair();
        }

        if (unix)
        {
            kestrel.ListenUnixSocket(Path.GetFullPath(UnixSocketPath(url)), ClientPort); // Kestrel wants it absolute.
        }
        else if (url.IsLoopback && !IPAddress.TryParse(url.Host, out _))
        {
            kestrel.ListenLocalhost(url.Port, ClientPort);
        }
        else if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, url.Port, ClientPort);
        }
        else
        {
            throw new ArgumentException($"listen URL '{url}' must name an IP address or localhost", nameof(url));
        }
    }

    /// <summary>etcd's scheme for a client port on a Unix domain socket (cleartext).</summary>
    public const string UnixScheme = "unix";

    /// <summary>etcd's scheme for a client port on a Unix domain socket with TLS.</summary>
    public const string UnixTlsScheme = "unixs";

    /// <summary>
    /// The socket file of a <c>unix://</c> URL as etcd takes it: everything after the scheme's "//"
    /// (host and path), so <c>unix://localhost:2379</c> is the file <c>localhost:2379</c> in the working
    /// directory and <c>unix:///run/etcd.sock</c> is <c>/run/etcd.sock</c>.
    /// </summary>
    public static string UnixSocketPath(Uri url)
    {
        var text = url.OriginalString;
        var path = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];
        if (path.Length == 0)
        {
            throw new ArgumentException($"listen URL '{url}' names no socket file", nameof(url));
        }

        return path;
    }

    /// <summary>The URL a bound Kestrel address stands for: a Unix socket's (<c>http://unix:/path</c>) is the listen URL that named it.</summary>
    public static Uri FromBoundAddress(string address, IEnumerable<Uri> listenUrls)
    {
        foreach (var kestrel in new[] { "http://unix:", "https://unix:" })
        {
            if (address.StartsWith(kestrel, StringComparison.Ordinal))
            {
                var path = address[kestrel.Length..];
                return listenUrls.FirstOrDefault(u => u.Scheme is UnixScheme or UnixTlsScheme && Path.GetFullPath(UnixSocketPath(u)) == path)
                    ?? new Uri(UnixScheme + "://" + path);
            }
        }

        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>A client URL as it is shown and advertised: scheme and authority, or a Unix socket's whole URL.</summary>
    public static string Text(Uri url) =>
        url.Scheme is UnixScheme or UnixTlsScheme ? url.OriginalString : url.GetLeftPart(UriPartial.Authority);

    private static HttpsConnectionAdapterOptions Https(X509Certificate2 certificate, X509Certificate2? clientCa) => new()
    {
        ServerCertificate = certificate,
        ClientCertificateMode = clientCa is null ? ClientCertificateMode.NoCertificate : ClientCertificateMode.RequireCertificate,
        ClientCertificateValidation = clientCa is null ? null : (client, _, _) => ChainsTo(client, clientCa),
    };

    /// <summary>Whether <paramref name="client"/> chains to <paramref name="ca"/> alone (the system roots are not trusted, as in etcd).</summary>
    private static bool ChainsTo(X509Certificate2 client, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(client);
    }
}

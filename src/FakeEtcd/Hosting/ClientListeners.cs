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
/// gRPC clients speak it) and TLS with ALPN for <c>https://</c>.
/// </summary>
internal static class ClientListeners
{
    public static void Listen(KestrelServerOptions kestrel, Uri url, FakeEtcdServerOptions options, ActivityTracker activity)
    {
        var tls = url.Scheme == Uri.UriSchemeHttps;
        if (!tls && url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"unsupported listen URL scheme in '{url}': use http:// or https://", nameof(url));
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

        if (url.IsLoopback && !IPAddress.TryParse(url.Host, out _))
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

using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace FakeEtcd.Transport.Http2;

/// <summary>
/// Serves gRPC (HTTP/2 with prior knowledge) and HTTP/1.1 on one cleartext port, as etcd's cmux does.
/// Kestrel picks HTTP/2 on a cleartext endpoint that also speaks HTTP/1.1 only through ALPN, which
/// cleartext lacks; a connection that opens with the HTTP/2 preface is given the answer ALPN would
/// have given ("h2"), any other one stays HTTP/1.1.
/// </summary>
internal static class CleartextProtocolSelection
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <summary>Whether <paramref name="connection"/> speaks HTTP/2: by its preface in cleartext, by ALPN over TLS.</summary>
    public static bool IsHttp2(ConnectionContext connection) =>
        connection.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol.Span.SequenceEqual("h2"u8) ?? false;

    /// <summary>Adds the selection to a cleartext endpoint serving <see cref="HttpProtocols.Http1AndHttp2"/>.</summary>
    public static ListenOptions UseCleartextProtocolSelection(this ListenOptions listen)
    {
        // The stream of an h2 connection marked this way names its own scheme (http), which Kestrel
        // would otherwise compare with the "https" the marker implies.
        listen.KestrelServerOptions.AllowAlternateSchemes = true;
        listen.Use(next => async connection =>
        {
            if (await OpensWithPrefaceAsync(connection.Transport.Input, connection.ConnectionClosed).ConfigureAwait(false))
            {
                connection.Features.Set<ITlsConnectionFeature>(PriorKnowledge.Instance);
                connection.Features.Set<ITlsApplicationProtocolFeature>(PriorKnowledge.Instance);
            }

            await next(connection).ConfigureAwait(false);
        });
        return listen;
    }

    /// <summary>Reads until the first bytes decide, consuming nothing.</summary>
    internal static async ValueTask<bool> OpensWithPrefaceAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false; // The connection closed first: HTTP/1.1 will see the same end.
            }

            var buffer = result.Buffer;
            var decided = Decide(buffer, out var isPreface) || result.IsCompleted || result.IsCanceled;
            // Examining everything while undecided makes the next read wait for more bytes; once decided,
            // nothing is examined, so the protocol's own first read sees them all at once.
            input.AdvanceTo(buffer.Start, decided ? buffer.Start : buffer.End);
            if (decided)
            {
                return isPreface;
            }
        }
    }

    private static bool Decide(ReadOnlySequence<byte> buffer, out bool isPreface)
    {
        var length = (int)Math.Min(buffer.Length, Preface.Length);
        Span<byte> head = stackalloc byte[Preface.Length];
        buffer.Slice(0, length).CopyTo(head);
        var matches = head[..length].SequenceEqual(Preface.AsSpan(0, length));
        isPreface = matches && length == Preface.Length;
        return !matches || isPreface;
    }

    /// <summary>What ALPN would have said for an HTTP/2 connection; no certificate, no handshake.</summary>
    private sealed class PriorKnowledge : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public static readonly PriorKnowledge Instance = new();

        public ReadOnlyMemory<byte> ApplicationProtocol { get; } = "h2"u8.ToArray();

        public X509Certificate2? ClientCertificate
        {
            get => null;
            set => throw new NotSupportedException("a cleartext connection has no client certificate");
        }

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
    }
}

using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Threading.Channels;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace FakeEtcd.Transport.InMemory;

/// <summary>
/// A Kestrel transport for in-process clients: each connection is two pipes, so a call costs no
/// socket system calls and no hop through the socket engine's thread, only the pipes' continuations.
/// Kestrel serves it like any listener (HTTP/2, interceptors, the same services); the client side
/// is a <see cref="Stream"/> for <c>SocketsHttpHandler.ConnectCallback</c>.
/// </summary>
internal sealed class InMemoryTransport : IConnectionListenerFactory, IConnectionListenerFactorySelector, IConnectionListener
{
    private readonly Channel<ConnectionContext> _accepted = Channel.CreateUnbounded<ConnectionContext>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, InMemoryConnection> _open = new();
    private long _connections;

    public EndPoint EndPoint { get; } = new InMemoryEndPoint();

    /// <summary>Opens a connection to the listener and returns the client's end of it.</summary>
    public Stream Connect()
    {
        // Thread-pool continuations (the default): inline ones measured no faster and would run the
        // server's frame loop on the client's writer thread.
        var toServer = new Pipe();
        var toClient = new Pipe();
        var id = "in-memory-" + Interlocked.Increment(ref _connections);
        var connection = new InMemoryConnection(id, new AbortableReader(toServer.Reader), toClient.Writer, EndPoint, () => _open.TryRemove(id, out _));
        _open[id] = connection;
        if (!_accepted.Writer.TryWrite(connection))
        {
            throw new IOException("the server is stopped");
        }

        return new DuplexPipeStream(toClient.Reader, toServer.Writer);
    }

    /// <summary>
    /// Adds this listener to a host: registers the transport with Kestrel and binds its endpoint
    /// (HTTP/2 cleartext), next to whatever else the host listens on.
    /// </summary>
    public void AttachTo(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IConnectionListenerFactory>(this);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(EndPoint, listen => listen.Protocols = HttpProtocols.Http2));
    }

    /// <summary>Whether <paramref name="address"/>, as Kestrel lists its addresses, is this listener's (not a URL clients can use).</summary>
    public static bool IsListed(string address) => address.EndsWith("://" + InMemoryEndPoint.Name, StringComparison.Ordinal);

    /// <summary>
    /// A gRPC channel whose connections are in-memory ones to this listener. <paramref name="authority"/>
    /// only names the server in <c>:authority</c> (the connect callback ignores it); the caller disposes the channel.
    /// An <paramref name="untraced"/> channel's requests pass no HTTP diagnostics handler (no trace
    /// headers, no events): the fixture's own channel, counted by its interceptor, so the in-process
    /// URL-client listeners cost its calls nothing.
    /// </summary>
    public GrpcChannel CreateChannel(Uri authority, bool untraced = false)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, _) => ValueTask.FromResult(Connect()),
            EnableMultipleHttp2Connections = true,
        };
        if (untraced)
        {
            handler.ActivityHeadersPropagator = null;
        }

        var options = new GrpcChannelOptions
        {
            MaxReceiveMessageSize = null,
            ThrowOperationCanceledOnCancellation = true,
            HttpHandler = handler,
            DisposeHttpClient = true,
        };
        return GrpcChannel.ForAddress(new UriBuilder(Uri.UriSchemeHttp, authority.Host, authority.Port).Uri, options);
    }

    /// <summary>
    /// Resets every open connection, as a stopping process's sockets are: clients see the connection
    /// fail at once and the server's streams on them end, so a stop does not wait for them.
    /// </summary>
    public void AbortAll()
    {
        foreach (var connection in _open.Values)
        {
            connection.Abort(new ConnectionAbortedException("the server is stopping"));
        }
    }

    public bool CanBind(EndPoint endpoint) => endpoint is InMemoryEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IConnectionListener>(this);

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return null; // Unbound: Kestrel stops accepting.
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _accepted.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => UnbindAsync();
}

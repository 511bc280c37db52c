using System.Net.Sockets;

namespace FakeEtcd.Hosting;

/// <summary>Connects to a Unix domain socket, for HTTP handlers whose server listens on <c>unix://</c>.</summary>
internal static class UnixSocketStream
{
    public static async ValueTask<Stream> ConnectAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

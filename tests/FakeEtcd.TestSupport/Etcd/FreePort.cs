using System.Net;
using System.Net.Sockets;

namespace FakeEtcd.TestSupport;

/// <summary>Picks a loopback port the OS considers free right now.</summary>
public static class FreePort
{
    /// <summary>
    /// Binds port 0 and releases it. Another process may grab it before etcd binds it,
    /// so callers retry the start on "address already in use".
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

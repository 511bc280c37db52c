using System.Net;

namespace FakeEtcd.Transport.InMemory;

/// <summary>The address of a server's in-memory listener: connections to it are pairs of pipes, no socket.</summary>
internal sealed class InMemoryEndPoint : EndPoint
{
    /// <summary>How Kestrel lists the endpoint among its addresses (<c>http://in-memory</c>).</summary>
    public const string Name = "in-memory";

    public override string ToString() => Name;
}

using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Cluster;

namespace FakeEtcd.Grpc;

/// <summary>The last step of every unary etcd handler: stamp the member identity on the header.</summary>
internal static class Replies
{
    public static Task<T> Reply<T>(this EtcdNode node, T response, Func<T, ResponseHeader> header)
    {
        node.Identity.Stamp(header(response));
        return Task.FromResult(response);
    }
}

using EtcdProtocol.Etcdserverpb;

namespace EtcdProtocol;

/// <summary>
/// A response that carries etcd's <see cref="ResponseHeader"/>. Every generated response message
/// with a header implements it (the partial declarations beside this file), so the header's member
/// identity is stamped in one place: <c>ResponseHeaderInterceptor</c>.
/// </summary>
internal interface IEtcdResponse
{
    ResponseHeader? Header { get; }
}

using Grpc.Core;

namespace FakeEtcd.Errors;

/// <summary>
/// An etcd error: the gRPC status code and the exact message etcd sends. Clients match these
/// messages byte for byte (Go clientv3 maps them back to typed errors), so the text is API.
/// </summary>
internal sealed class EtcdException(StatusCode code, string message) : Exception(message)
{
    public StatusCode Code { get; } = code;

    public RpcException ToRpcException() => new(new Status(Code, Message));
}

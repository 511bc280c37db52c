using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace FakeEtcd.Http.Gateway;

/// <summary>
/// How the gateway reaches the server's own gRPC services: as etcd's gateway dials its own port, so
/// every request takes the same path (interceptors, errors, settle counting) a gRPC client's takes.
/// </summary>
internal sealed class GatewayCalls
{
    private readonly TaskCompletionSource<Lazy<CallInvoker>> _invoker = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<MethodDescriptor, Method<IMessage, IMessage>> _methods = [];

    /// <summary>Set once the server is up; requests that arrive earlier wait for it.</summary>
    public void Attach(Func<CallInvoker> invoker) => _invoker.TrySetResult(new Lazy<CallInvoker>(invoker));

    public async Task<CallInvoker> InvokerAsync() => (await _invoker.Task.ConfigureAwait(false)).Value;

    /// <summary>An untyped gRPC method for <paramref name="descriptor"/>: messages cross as bytes, as on the wire.</summary>
    public Method<IMessage, IMessage> MethodFor(MethodDescriptor descriptor)
    {
        lock (_methods)
        {
            if (!_methods.TryGetValue(descriptor, out var method))
            {
                var type = (descriptor.IsClientStreaming, descriptor.IsServerStreaming) switch
                {
                    (false, false) => MethodType.Unary,
                    (false, true) => MethodType.ServerStreaming,
                    (true, false) => MethodType.ClientStreaming,
                    (true, true) => MethodType.DuplexStreaming,
                };
                method = new Method<IMessage, IMessage>(
                    type,
                    descriptor.Service.FullName,
                    descriptor.Name,
                    Marshallers.Create<IMessage>(m => m.ToByteArray(), descriptor.InputType.Parser.ParseFrom),
                    Marshallers.Create<IMessage>(m => m.ToByteArray(), descriptor.OutputType.Parser.ParseFrom));
                _methods[descriptor] = method;
            }

            return method;
        }
    }
}

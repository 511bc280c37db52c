using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace FakeEtcd.Grpc;

/// <summary>
/// Binds each gRPC service the way Grpc.AspNetCore's default provider does (the generated
/// <c>BindService</c>, handlers found by method name on the service class), but with request
/// marshallers that decode as etcd does (<see cref="EtcdRequestDecoding"/>): deep txns parse, and
/// undecodable bytes get grpc-go's Internal "grpc: error unmarshalling request" instead of Unknown;
/// and every message counted for the byte metrics (<see cref="GrpcTraffic"/>).
/// </summary>
internal sealed class EtcdServiceMethodProvider<TService>(GrpcTraffic traffic) : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var bind = typeof(TService).GetCustomAttribute<BindServiceMethodAttribute>(inherit: true);
        var bindMethod = bind?.BindType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .FirstOrDefault(m => m.Name == bind.BindMethodName && m.GetParameters() is [var first, _] && first.ParameterType == typeof(ServiceBinderBase));
        bindMethod?.Invoke(null, [new Binder(context, traffic), null]);
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, GrpcTraffic traffic) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(Decoded(method), [], Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddServerStreamingMethod(Decoded(method), [], Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddClientStreamingMethod(Decoded(method), [], Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddDuplexStreamingMethod(Decoded(method), [], Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)));

        private Method<TRequest, TResponse> Decoded<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class
            where TResponse : class =>
            new(method.Type, method.ServiceName, method.Name,
                traffic.Count(EtcdRequestDecoding.Wrap(method.RequestMarshaller), requests: true),
                traffic.Count(method.ResponseMarshaller, requests: false));

        /// <summary>An open-instance delegate to the service's handler (the override, or the base that answers Unimplemented).</summary>
        private static TDelegate Invoker<TDelegate>(string name, params Type[] parameters)
            where TDelegate : Delegate
        {
            var handler = typeof(TService).GetMethod(name, parameters)
                ?? throw new InvalidOperationException($"{typeof(TService).Name} has no handler {name}.");
            return (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler);
        }
    }
}

using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FakeEtcd.Grpc.Interceptors;

/// <summary>
/// Counts each call by type and by the client's <c>client-api-version</c> header, as etcd's
/// interceptors do for <c>etcd_server_client_requests_total</c>; FakeEtcd's own control API is not counted.
/// </summary>
internal sealed class ClientRequestsInterceptor(GrpcTraffic traffic) : Interceptor
{
    private const string ApiVersionHeader = "client-api-version";
    private const string ControlPrefix = "/fakeetcd.v1.";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Count(context, stream: false);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Count(context, stream: true);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Count(context, stream: true);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Count(context, stream: true);
        return continuation(requestStream, responseStream, context);
    }

    private void Count(ServerCallContext context, bool stream)
    {
        if (!context.Method.StartsWith(ControlPrefix, StringComparison.Ordinal))
        {
            traffic.Request(stream, context.RequestHeaders.GetValue(ApiVersionHeader));
        }
    }
}

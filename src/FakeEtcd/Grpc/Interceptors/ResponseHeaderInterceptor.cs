using EtcdProtocol;
using FakeEtcd.Cluster;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FakeEtcd.Grpc.Interceptors;

/// <summary>
/// Stamps the member identity (cluster id, member id, raft term) on the header of every response
/// the services return or stream, so no service does it itself. The core fills in the revision;
/// responses without a header (etcd 3.4's Alarm) are left alone. Innermost, so every other
/// interceptor sees stamped responses.
/// </summary>
internal sealed class ResponseHeaderInterceptor(MemberIdentity identity) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var handled = continuation(request, context);
        if (!handled.IsCompletedSuccessfully)
        {
            return StampWhenDone(handled);
        }

        Stamp(handled.Result);
        return handled;
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(requestStream, new StampingWriter<TResponse>(responseStream, this), context);

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(request, new StampingWriter<TResponse>(responseStream, this), context);

    private async Task<TResponse> StampWhenDone<TResponse>(Task<TResponse> handled)
    {
        var response = await handled.ConfigureAwait(false);
        Stamp(response);
        return response;
    }

    private void Stamp<TResponse>(TResponse response)
    {
        if (response is IEtcdResponse { Header: { } header })
        {
            identity.Stamp(header);
        }
    }

    private sealed class StampingWriter<T>(IServerStreamWriter<T> inner, ResponseHeaderInterceptor owner) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message)
        {
            owner.Stamp(message);
            return inner.WriteAsync(message);
        }

        public Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            owner.Stamp(message);
            return inner.WriteAsync(message, cancellationToken);
        }
    }
}

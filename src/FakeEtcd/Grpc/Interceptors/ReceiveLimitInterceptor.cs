using FakeEtcd.Apply;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FakeEtcd.Grpc.Interceptors;

/// <summary>
/// etcd's gRPC receive limit (--max-request-bytes + 512 KiB) with grpc-go's exact error. The
/// transport's own limit is set higher as a safety net, because its message differs from grpc-go's.
/// </summary>
internal sealed class ReceiveLimitInterceptor(EtcdLimits limits) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(new CheckedReader<TRequest>(requestStream, this), responseStream, context);

    private void Check(object? request)
    {
        if (request is IMessage message && message.CalculateSize() is var size && size > limits.MaxReceiveMessageBytes)
        {
            throw new RpcException(new Status(
                StatusCode.ResourceExhausted,
                $"grpc: received message larger than max ({size} vs. {limits.MaxReceiveMessageBytes})"));
        }
    }

    private sealed class CheckedReader<T>(IAsyncStreamReader<T> inner, ReceiveLimitInterceptor owner) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            var moved = await inner.MoveNext(cancellationToken).ConfigureAwait(false);
            if (moved)
            {
                owner.Check(inner.Current);
            }

            return moved;
        }
    }
}

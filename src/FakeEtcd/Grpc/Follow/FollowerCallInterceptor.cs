using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FakeEtcd.Grpc.Follow;

/// <summary>
/// Counts the stream messages the server writes and reads on a clock follower's calls (those carrying
/// <see cref="FollowerHub.CallHeader"/>): a tick tells the follower how many it must have read before
/// it is done, and the follower's report of what it wrote tells the server what it must still read.
/// The other-process half of what in-process stream handovers do.
/// </summary>
internal sealed class FollowerCallInterceptor(FollowerHub hub) : Interceptor
{
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        Counted(context, responseStream, (writer, read) => continuation(read is null ? requestStream : new CountingReader<TRequest>(requestStream, read), writer, context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        Counted(context, responseStream, (writer, _) => continuation(request, writer, context));

    private Task Counted<TResponse>(ServerCallContext context, IServerStreamWriter<TResponse> responseStream, Func<IServerStreamWriter<TResponse>, Action?, Task> handler)
    {
        if (hub.FindCall(context.RequestHeaders.GetValue(FollowerHub.CallHeader)) is not var (follower, call))
        {
            return handler(responseStream, null);
        }

        follower.CallStarted(call);
        return handler(new CountingWriter<TResponse>(responseStream, () => follower.Sending(call)), () => follower.Read(call));
    }

    private sealed class CountingReader<T>(IAsyncStreamReader<T> inner, Action read) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            var more = await inner.MoveNext(cancellationToken).ConfigureAwait(false);
            if (more)
            {
                read();
            }

            return more;
        }
    }

    private sealed class CountingWriter<T>(IServerStreamWriter<T> inner, Action sending) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message)
        {
            sending();
            return inner.WriteAsync(message);
        }

        public Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            sending();
            return inner.WriteAsync(message, cancellationToken);
        }
    }
}

using FakeEtcd.Grpc.Interceptors;
using Grpc.Core;

namespace FakeEtcd.Grpc.Follow;

/// <summary>
/// Counts the stream messages the server writes and reads on a clock follower's calls (those carrying
/// <see cref="FollowerHub.CallHeader"/>): a tick tells the follower how many it must have read before
/// it is done, and the follower's report of what it wrote tells the server what it must still read.
/// The other-process half of what in-process stream handovers do; <see cref="ServerActivityInterceptor"/>
/// applies it, so calls that are not a follower's pay only a header lookup on streams and nothing on unary calls.
/// </summary>
internal static class FollowerCalls
{
    public static (IAsyncStreamReader<TRequest> Requests, IServerStreamWriter<TResponse> Responses) Count<TRequest, TResponse>(
        FollowerHub? hub, ServerCallContext context, IAsyncStreamReader<TRequest> requests, IServerStreamWriter<TResponse> responses)
    {
        if (Find(hub, context) is not var (follower, call))
        {
            return (requests, responses);
        }

        return (new CountingReader<TRequest>(requests, () => follower.Read(call)), new CountingWriter<TResponse>(responses, () => follower.Sending(call)));
    }

    public static IServerStreamWriter<TResponse> Count<TResponse>(FollowerHub? hub, ServerCallContext context, IServerStreamWriter<TResponse> responses) =>
        Find(hub, context) is var (follower, call) ? new CountingWriter<TResponse>(responses, () => follower.Sending(call)) : responses;

    private static (RemoteFollower Follower, ulong Call)? Find(FollowerHub? hub, ServerCallContext context)
    {
        if (hub?.FindCall(context.RequestHeaders.GetValue(FollowerHub.CallHeader)) is not var (follower, call))
        {
            return null;
        }

        follower.CallStarted(call);
        return (follower, call);
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
}

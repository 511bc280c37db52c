using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Election.Tests.Support;

/// <summary>
/// Makes the first <c>n</c> Watch streams fail with Unavailable on their first read, as a stream on
/// an etcd member that dies does. Later streams and all other calls pass through.
/// </summary>
public sealed class BreakingWatchInvoker : Interceptor
{
    private readonly TimeProvider _time;
    private readonly List<DateTimeOffset> _openedAt = [];
    private int _toBreak;

    public BreakingWatchInvoker(CallInvoker inner, int breakFirst, TimeProvider time)
    {
        _toBreak = breakFirst;
        _time = time;
        Invoker = inner.Intercept(this);
    }

    public CallInvoker Invoker { get; }

    private int _watches;
    private int _broken;

    /// <summary>How many Watch streams were broken so far.</summary>
    public int Broken => Volatile.Read(ref _broken);

    /// <summary>How many Watch streams were opened so far, broken or not.</summary>
    public int Watches => Volatile.Read(ref _watches);

    /// <summary>The instant on the test's clock at which each Watch stream was opened.</summary>
    public IReadOnlyList<DateTimeOffset> OpenedAt
    {
        get
        {
            lock (_openedAt)
            {
                return [.. _openedAt];
            }
        }
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(context);
        if (context.Method.Name != "Watch")
        {
            return call;
        }

        lock (_openedAt)
        {
            _openedAt.Add(_time.GetUtcNow());
        }

        Interlocked.Increment(ref _watches);
        if (Interlocked.Decrement(ref _toBreak) < 0)
        {
            return call;
        }

        Interlocked.Increment(ref _broken);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            call.RequestStream,
            new FailingReader<TResponse>(),
            call.ResponseHeadersAsync,
            call.GetStatus,
            call.GetTrailers,
            call.Dispose);
    }

    private sealed class FailingReader<T> : IAsyncStreamReader<T>
    {
        public T Current => throw new InvalidOperationException("no message");

        public Task<bool> MoveNext(CancellationToken cancellationToken) =>
            Task.FromException<bool>(new RpcException(new Status(StatusCode.Unavailable, "member went away")));
    }
}

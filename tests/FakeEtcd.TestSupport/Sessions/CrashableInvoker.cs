using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FakeEtcd.TestSupport;

/// <summary>
/// Wraps a call invoker so a test can "crash" the process that uses it: <see cref="Crash"/> cancels
/// every call in flight (open streams end, as when a process dies) and fails every later call, so
/// nothing (no keepalive, no revoke) reaches etcd any more. A <see cref="Partition"/> does the same
/// until <see cref="Heal"/>.
/// </summary>
public sealed class CrashableInvoker : Interceptor
{
    private CancellationTokenSource _crashed = new();
    private volatile bool _cut;

    public CrashableInvoker(CallInvoker inner) => Invoker = inner.Intercept(this);

    public CallInvoker Invoker { get; }

    public void Crash() => Partition();

    /// <summary>Cuts the process off: calls in flight end, new ones fail with Unavailable.</summary>
    public void Partition()
    {
        _cut = true;
        _crashed.Cancel();
    }

    /// <summary>Ends a <see cref="Partition"/>: new calls reach etcd again.</summary>
    public void Heal()
    {
        _crashed = new CancellationTokenSource();
        _cut = false;
    }

    /// <summary>Runs (synchronously) before each Watch stream opens: lets a test slip a write in between.</summary>
    public Action? BeforeWatch { get; set; }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Guard(context));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        if (context.Method.Name == "Watch")
        {
            BeforeWatch?.Invoke();
        }

        return continuation(Guard(context));
    }

    private ClientInterceptorContext<TRequest, TResponse> Guard<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        if (_cut)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "crashed"));
        }

        var linked = CancellationTokenSource.CreateLinkedTokenSource(context.Options.CancellationToken, _crashed.Token);
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithCancellationToken(linked.Token));
    }
}

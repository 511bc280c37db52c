using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FakeEtcd.Sample.Tests;

/// <summary>
/// Cuts one process off from etcd, as a crash or a partition would: after <see cref="Pull"/> every
/// call in flight is cancelled and every new call fails, so no keepalive or revoke arrives any more.
/// </summary>
public sealed class KillSwitch : Interceptor
{
    private readonly CancellationTokenSource _pulled = new();

    public KillSwitch(CallInvoker inner) => Invoker = inner.Intercept(this);

    /// <summary>The invoker to hand to the code under test.</summary>
    public CallInvoker Invoker { get; }

    public void Pull() => _pulled.Cancel();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Guard(context));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(Guard(context));

    private ClientInterceptorContext<TRequest, TResponse> Guard<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        if (_pulled.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "cut off from etcd"));
        }

        var linked = CancellationTokenSource.CreateLinkedTokenSource(context.Options.CancellationToken, _pulled.Token);
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithCancellationToken(linked.Token));
    }
}

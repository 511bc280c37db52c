using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// Gives every call without its own token the test's token, so a server that never answers
/// fails the test instead of hanging the suite. (Deadlines would need the banned wall clock.)
/// </summary>
internal sealed class CallTokenInterceptor(CancellationToken token) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        => continuation(request, WithToken(context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
        => continuation(request, WithToken(context));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
        => continuation(WithToken(context));

    private ClientInterceptorContext<TRequest, TResponse> WithToken<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
        => context.Options.CancellationToken.CanBeCanceled
            ? context
            : new(context.Method, context.Host, context.Options.WithCancellationToken(token));
}

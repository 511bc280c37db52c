using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FakeEtcd.Clock;

/// <summary>
/// Counts unary calls on channels the fixture hands out, from the moment the client starts them to
/// the moment the response is read, closing the gap between "a timer fired and the client reacted"
/// and "the server received the request" that server-side counting alone cannot see.
/// </summary>
internal sealed class ClientActivityInterceptor(ActivityTracker activity) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        activity.Enter();
        AsyncUnaryCall<TResponse> call;
        try
        {
            call = continuation(request, context);
        }
        catch
        {
            activity.Exit();
            throw;
        }

        return new AsyncUnaryCall<TResponse>(
            ExitWhenDone(call.ResponseAsync),
            call.ResponseHeadersAsync,
            call.GetStatus,
            call.GetTrailers,
            call.Dispose);
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        activity.Enter();
        try
        {
            return continuation(request, context);
        }
        finally
        {
            activity.Exit();
        }
    }

    private async Task<TResponse> ExitWhenDone<TResponse>(Task<TResponse> response)
    {
        try
        {
            return await response.ConfigureAwait(false);
        }
        finally
        {
            activity.Exit();
        }
    }
}

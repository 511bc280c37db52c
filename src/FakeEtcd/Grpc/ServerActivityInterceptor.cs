using FakeEtcd.Clock;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FakeEtcd.Grpc;

/// <summary>
/// Counts unary calls from request read to response written, so a virtual clock's settle waits for
/// them. Streams are long-lived and count per message in their services instead.
/// </summary>
internal sealed class ServerActivityInterceptor(ActivityTracker activity) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        activity.Enter();
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        finally
        {
            activity.Exit();
        }
    }
}

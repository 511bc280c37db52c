using FakeEtcd.Clock;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FakeEtcd.Grpc;

/// <summary>
/// Counts unary calls from request read to response written, so a virtual clock's settle waits for
/// them. Streams are long-lived and count per message in their services instead. Calls to the
/// clock control API are not counted: an Advance call waits for the settle and must not wait for itself.
/// </summary>
internal sealed class ServerActivityInterceptor(ActivityTracker activity) : Interceptor
{
    private const string ControlPrefix = "/fakeetcd.v1.";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (context.Method.StartsWith(ControlPrefix, StringComparison.Ordinal))
        {
            return await continuation(request, context).ConfigureAwait(false);
        }

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

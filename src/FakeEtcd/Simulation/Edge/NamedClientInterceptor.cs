using FakeEtcd.Clock;
using FakeEtcd.Simulation.Faults;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FakeEtcd.Simulation.Edge;

/// <summary>
/// The client side of a named in-process channel: stamps the client name on every call and, while a
/// hang partition or a server pause applies to the client, holds unary calls before they start, so
/// the hung call is not counted as activity and the virtual clock can reach the heal. A unary
/// response is handed to the caller with its activity still counted: the caller's continuation runs
/// inline and starts its next call before the activity ends, so a settle cannot slip into that gap
/// (the gap that otherwise only the quiet period covers, and that made simulated runs diverge under load).
/// </summary>
internal sealed class NamedClientInterceptor(string name, FaultInjector? faults, ActivityTracker activity) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var named = Named(context, faults is not null);
        if (faults?.HangFor(name) is not { IsCompleted: false })
        {
            var counted = activity.Begin();
            AsyncUnaryCall<TResponse> call;
            try
            {
                call = continuation(request, named);
            }
            catch
            {
                counted.Dispose();
                throw;
            }

            return new AsyncUnaryCall<TResponse>(ResponseHandover.CompleteThen(call.ResponseAsync, counted), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
        }

        var started = StartWhenReachableAsync(request, named, continuation);
        return new AsyncUnaryCall<TResponse>(
            ResponseAsync(started),
            HeadersAsync(started),
            () => started.IsCompletedSuccessfully ? started.Result.GetStatus() : new Status(StatusCode.Unavailable, "hung by a partition"),
            () => started.IsCompletedSuccessfully ? started.Result.GetTrailers() : [],
            () =>
            {
                if (started.IsCompletedSuccessfully)
                {
                    started.Result.Dispose();
                }
            });
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
        faults?.RefuseStream(name, context.Method.Name) is { } refused
            ? RefusedStream.Create<TRequest, TResponse>(refused.Status)
            : continuation(Named(context, false));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Named(context, false));

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Named(context, false));

    private static async Task<TResponse> ResponseAsync<TResponse>(Task<AsyncUnaryCall<TResponse>> started) =>
        await (await started.ConfigureAwait(false)).ResponseAsync.ConfigureAwait(false);

    private static async Task<Metadata> HeadersAsync<TResponse>(Task<AsyncUnaryCall<TResponse>> started) =>
        await (await started.ConfigureAwait(false)).ResponseHeadersAsync.ConfigureAwait(false);

    private async Task<AsyncUnaryCall<TResponse>> StartWhenReachableAsync<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        await faults!.WaitUntilReachableAsync(name, context.Options.CancellationToken).ConfigureAwait(false);
        return continuation(request, context);
    }

    private ClientInterceptorContext<TRequest, TResponse> Named<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, bool gated)
        where TRequest : class
        where TResponse : class
    {
        var headers = new Metadata();
        foreach (var entry in context.Options.Headers ?? [])
        {
            headers.Add(entry);
        }

        headers.Add(ClientIdentity.HeaderName, name);
        if (gated)
        {
            headers.Add(SimulationInterceptor.GatedHeader, "1");
        }

        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }
}

using System.Globalization;
using FakeEtcd.Clock;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FakeEtcd.Follower;

/// <summary>
/// Marks every call with the follower's call header and counts it: unary calls until answered,
/// stream messages as they are read and written (<see cref="FollowerStreams"/>).
/// </summary>
internal sealed class CountedCallInterceptor(
    FollowerActivity activity, FollowerStreams streams, string followerId, string headerName) : Interceptor
{
    private long _calls;

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var (marked, _) = Mark(context);
        activity.CallStarted();
        AsyncUnaryCall<TResponse> call;
        try
        {
            call = continuation(request, marked);
        }
        catch
        {
            activity.CallEnded();
            throw;
        }

        return new AsyncUnaryCall<TResponse>(EndWhenAnswered(call.ResponseAsync), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var (marked, _) = Mark(context);
        activity.CallStarted();
        try
        {
            return continuation(request, marked);
        }
        finally
        {
            activity.CallEnded();
        }
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var (marked, number) = Mark(context);
        var stream = streams.Open(number);
        activity.CallStarted();
        var call = continuation(marked);
        return new AsyncClientStreamingCall<TRequest, TResponse>(
            new CountingWriter<TRequest>(call.RequestStream, stream),
            EndWhenAnswered(call.ResponseAsync),
            call.ResponseHeadersAsync,
            call.GetStatus,
            call.GetTrailers,
            stream.EndThen(call.Dispose));
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var (marked, number) = Mark(context);
        var stream = streams.Open(number);
        var call = continuation(request, marked);
        return new AsyncServerStreamingCall<TResponse>(
            new CountingReader<TResponse>(call.ResponseStream, stream),
            call.ResponseHeadersAsync,
            call.GetStatus,
            call.GetTrailers,
            stream.EndThen(call.Dispose));
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var (marked, number) = Mark(context);
        var stream = streams.Open(number);
        var call = continuation(marked);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            new CountingWriter<TRequest>(call.RequestStream, stream),
            new CountingReader<TResponse>(call.ResponseStream, stream),
            call.ResponseHeadersAsync,
            call.GetStatus,
            call.GetTrailers,
            stream.EndThen(call.Dispose));
    }

    private (ClientInterceptorContext<TRequest, TResponse> Context, ulong Number) Mark<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        var number = (ulong)Interlocked.Increment(ref _calls);
        var headers = new Metadata();
        if (context.Options.Headers is { } existing)
        {
            foreach (var entry in existing)
            {
                headers.Add(entry);
            }
        }

        headers.Add(headerName, followerId + "/" + number.ToString(CultureInfo.InvariantCulture));
        return (new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers)), number);
    }

    /// <summary>The call counts until the caller's continuation has run on from its answer.</summary>
    private Task<T> EndWhenAnswered<T>(Task<T> response) => CallerHandover.ThenAsync(response, _ => activity.CallEnded());
}

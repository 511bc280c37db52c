using System.Threading.Channels;
using FakeEtcd.Clock;
using FakeEtcd.Grpc.Streams;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FakeEtcd.Grpc.Interceptors;

/// <summary>
/// Counts unary calls on channels the fixture hands out, from the moment the client starts them to
/// the moment the response is read, closing the gap between "a timer fired and the client reacted"
/// and "the server received the request" that server-side counting alone cannot see. On streams
/// it registers a <see cref="StreamHandover"/> so messages count until they are read.
/// </summary>
internal sealed class ClientActivityInterceptor(ActivityTracker activity, StreamHandovers handovers) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        if (BlockingCalls.Contains(context.Method.FullName))
        {
            return BlockingUnary(request, context, continuation);
        }

        var counted = activity.Begin();
        AsyncUnaryCall<TResponse> call;
        try
        {
            call = continuation(request, context);
        }
        catch
        {
            counted.Dispose();
            throw;
        }

        return new AsyncUnaryCall<TResponse>(
            ResponseHandover.CompleteThen(call.ResponseAsync, counted),
            call.ResponseHeadersAsync,
            call.GetStatus,
            call.GetTrailers,
            call.Dispose);
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        using var counted = activity.Begin();
        return continuation(request, context);
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var handover = handovers.Open(countsEnd: true);
        AsyncDuplexStreamingCall<TRequest, TResponse> call;
        try
        {
            call = continuation(WithToken(context, handover.Token));
        }
        catch
        {
            handover.Dispose();
            throw;
        }

        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            new CountingWriter<TRequest>(call.RequestStream, handover),
            new HandoverReader<TResponse>(call.ResponseStream, handover),
            call.ResponseHeadersAsync,
            call.GetStatus,
            call.GetTrailers,
            () =>
            {
                handover.Dispose();
                call.Dispose();
            });
    }

    /// <summary>
    /// A server stream (election Observe): the request counts until the server starts handling it,
    /// and each response message until the client has read it, through a handover as on bidi streams.
    /// </summary>
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var (call, handover) = StartInTransit(context, c => continuation(request, c));
        return new AsyncServerStreamingCall<TResponse>(
            new HandoverReader<TResponse>(call.ResponseStream, handover),
            call.ResponseHeadersAsync,
            call.GetStatus,
            call.GetTrailers,
            () =>
            {
                handover.Dispose();
                call.Dispose();
            });
    }

    /// <summary>A unary call that may block: counted only in transit, through a handover (see <see cref="BlockingCalls"/>).</summary>
    private AsyncUnaryCall<TResponse> BlockingUnary<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        var (call, handover) = StartInTransit(context, c => continuation(request, c));
        return new AsyncUnaryCall<TResponse>(
            ResponseHandover.CompleteThen(call.ResponseAsync, handover),
            call.ResponseHeadersAsync,
            call.GetStatus,
            call.GetTrailers,
            call.Dispose);
    }

    /// <summary>Starts a call whose request counts as in transit until the server picks it up, under a new handover.</summary>
    private (TCall Call, StreamHandover Handover) StartInTransit<TRequest, TResponse, TCall>(
        ClientInterceptorContext<TRequest, TResponse> context, Func<ClientInterceptorContext<TRequest, TResponse>, TCall> start)
        where TRequest : class
        where TResponse : class
    {
        var handover = handovers.Open();
        handover.Sending();
        try
        {
            return (start(WithToken(context, handover.Token)), handover);
        }
        catch
        {
            handover.Dispose();
            throw;
        }
    }

    private static ClientInterceptorContext<TRequest, TResponse> WithToken<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, string token)
        where TRequest : class
        where TResponse : class
    {
        var headers = new Metadata();
        foreach (var entry in context.Options.Headers ?? [])
        {
            headers.Add(entry);
        }

        headers.Add(StreamHandovers.HeaderName, token);
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }

    /// <summary>Counts each request message from the client's write until the server has read it.</summary>
    private sealed class CountingWriter<T>(IClientStreamWriter<T> inner, StreamHandover handover) : IClientStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            handover.Sending();
            try
            {
                await inner.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                handover.Received();
                throw;
            }
        }

        public Task CompleteAsync() => inner.CompleteAsync();
    }

    /// <summary>
    /// Reads the stream eagerly into a local queue and ends each message's activity when it has
    /// arrived, so a settle covers messages in transit without waiting for the caller to ask for
    /// the next one (a test that holds a message while advancing the clock must not deadlock). A reader
    /// already waiting runs on in the pump (synchronous continuation) before the message's activity
    /// ends, so whatever it starts in reaction (the next call) is counted without a gap.
    /// </summary>
    private sealed class HandoverReader<T> : IAsyncStreamReader<T>
    {
        private readonly Channel<T> _arrived = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = true });
        private T? _current;
        private CallerSegment? _readerSegment;

        public HandoverReader(IAsyncStreamReader<T> inner, StreamHandover handover) =>
            _ = PumpAsync(inner, handover);

        public T Current => _current!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            Volatile.Write(ref _readerSegment, CallerSegment.Current);
            if (await _arrived.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) && _arrived.Reader.TryRead(out var next))
            {
                _current = next;
                return true;
            }

            return false;
        }

        private async Task PumpAsync(IAsyncStreamReader<T> inner, StreamHandover handover)
        {
            try
            {
                while (await inner.MoveNext(CancellationToken.None).ConfigureAwait(false))
                {
                    handover.Delivering();
                    // A reader that asked from code still running gets the message once it has returned (see CallerSegment), in order.
                    await CallerSegment.HandOverAsync(Volatile.Read(ref _readerSegment), (this, inner.Current, handover), Deliver, CallerSegment.Patience).ConfigureAwait(false);
                }

                _arrived.Writer.TryComplete();
            }
            catch (Exception e)
            {
                _arrived.Writer.TryComplete(e);
            }
            finally
            {
                handover.Dispose();
            }
        }

        /// <summary>A reader already waiting runs on inline, as a <see cref="CallerSegment"/>, before the message stops counting.</summary>
        private static void Deliver((HandoverReader<T> Reader, T Message, StreamHandover Handover) arrival)
        {
            try
            {
                CallerSegment.Run(arrival, static a => a.Reader._arrived.Writer.TryWrite(a.Message));
            }
            finally
            {
                arrival.Handover.Read();
            }
        }
    }
}

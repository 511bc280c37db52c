using FakeEtcd.Clock;
using FakeEtcd.Grpc.Follow;
using FakeEtcd.Grpc.Streams;
using FakeEtcd.Grpc.UrlClients;
using FakeEtcd.Simulation;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FakeEtcd.Grpc.Interceptors;

/// <summary>
/// Counts unary calls from request read to response written, so a virtual clock's settle waits for
/// them. Streams are long-lived and count per message in their services instead. Calls to the
/// clock control API are not counted: an Advance call waits for the settle and must not wait for itself.
/// On bidi streams from in-process fixture clients, the activity the client started when it wrote a
/// request message lasts until the handler asks for the next one (it has acted on this one by then),
/// and a client's close counts until the stream's handler has ended.
/// On streams of clock followers in other processes, messages are counted for their ticks (<see cref="FollowerCalls"/>).
/// </summary>
internal sealed class ServerActivityInterceptor(ActivityTracker activity, StreamHandovers handovers, FollowerHub? followers = null) : Interceptor
{
    private const string ControlPrefix = "/fakeetcd.v1.";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (context.Method.StartsWith(ControlPrefix, StringComparison.Ordinal))
        {
            return await continuation(request, context).ConfigureAwait(false);
        }

        using var call = activity.Begin();
        NoteObserved(context);

        // A blocking call from an in-process client (see BlockingCalls): the request's transit ends
        // here, and the response counts until that client has read it.
        var handover = handovers.Find(context.RequestHeaders.GetValue(StreamHandovers.HeaderName));
        handover?.Received();
        var response = await continuation(request, context).ConfigureAwait(false);
        if (handover is not null)
        {
            var reply = activity.Begin();
            if (!handover.TryPass(reply))
            {
                reply.Dispose();
            }
        }

        return response;
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        (requestStream, responseStream) = FollowerCalls.Count(followers, context, requestStream, responseStream);
        NoteObserved(context);
        var handover = handovers.Find(context.RequestHeaders.GetValue(StreamHandovers.HeaderName));
        if (handover is null)
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
            return;
        }

        handover.ServerStarted();
        try
        {
            await continuation(new ReceivingReader<TRequest>(requestStream, handover), responseStream, context).ConfigureAwait(false);
        }
        finally
        {
            handover.ServerEnded();
        }
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        NoteObserved(context);
        return continuation(request, FollowerCalls.Count(followers, context, responseStream), context);
    }

    /// <summary>A call from a client this process counts shows that its socket connection needs no quiet period.</summary>
    private void NoteObserved(ServerCallContext context)
    {
        if (activity.UnobservedSocketConnections > 0 && context.RequestHeaders.GetValue(ObservedCall.HeaderName) is not null)
        {
            activity.SocketConnectionObserved(context.GetHttpContext().Connection.Id);
        }
    }

    private sealed class ReceivingReader<T>(IAsyncStreamReader<T> inner, StreamHandover handover) : IAsyncStreamReader<T>
    {
        // A simulated stream's reader already counts each message until the next is asked for, and
        // releases it around virtual waits (a delayed keepalive); holding it here too would stop the clock.
        private readonly bool _heldBelow = ClientIdentity.CurrentReader is not null;

        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            // Asking for the next message is what shows the handler has acted on the last one.
            handover.Handled();
            var moved = await inner.MoveNext(cancellationToken).ConfigureAwait(false);
            if (moved && _heldBelow)
            {
                handover.Received();
            }
            else if (moved)
            {
                handover.Picked();
            }

            return moved;
        }
    }
}

using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FakeEtcd.Benchmarks.Failover;

/// <summary>
/// Watches a standby's calls from the client side. <see cref="Created"/> completes when the server
/// acknowledges its watch: a standby logs "start to watch" before its create request reaches the
/// server, so only the "created" answer says it is really waiting (measuring earlier would time the
/// watch set-up and a history replay instead of the live DELETE). It also timestamps the steps of the
/// takeover, to show what a watch-to-activate figure is made of: the first watch response carrying
/// events, and the start and end of the first Txn (the CAS) sent after it.
/// </summary>
internal sealed class StandbyProbe : Interceptor
{
    private readonly TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _eventSeen;
    private long _casSent;
    private long _casAnswered;

    public Task Created => _created.Task;

    /// <summary><see cref="Stopwatch"/> timestamps: DELETE event read, CAS sent, CAS answer read (0 = not yet).</summary>
    public (long EventSeen, long CasSent, long CasAnswered) Steps =>
        (Interlocked.Read(ref _eventSeen), Interlocked.Read(ref _casSent), Interlocked.Read(ref _casAnswered));

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        if (context.Method.Name != "Txn" || Interlocked.Read(ref _eventSeen) == 0 || Interlocked.CompareExchange(ref _casSent, Stopwatch.GetTimestamp(), 0) != 0)
        {
            return continuation(request, context);
        }

        var call = continuation(request, context);
        return new AsyncUnaryCall<TResponse>(
            Answered(call.ResponseAsync),
            call.ResponseHeadersAsync,
            call.GetStatus,
            call.GetTrailers,
            call.Dispose);
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(context);
        if (context.Method.Name != "Watch")
        {
            return call;
        }

        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            call.RequestStream,
            new Reader<TResponse>(call.ResponseStream, this),
            call.ResponseHeadersAsync,
            call.GetStatus,
            call.GetTrailers,
            call.Dispose);
    }

    private async Task<TResponse> Answered<TResponse>(Task<TResponse> response)
    {
        var result = await response.ConfigureAwait(false);
        Interlocked.Exchange(ref _casAnswered, Stopwatch.GetTimestamp());
        return result;
    }

    private void OnResponse(IMessage message)
    {
        // The session's WatchResponse is the Election library's internal generated type: read fields by descriptor.
        if (message.Descriptor.FindFieldByName("created")?.Accessor.GetValue(message) is true)
        {
            _created.TrySetResult();
        }

        if (message.Descriptor.FindFieldByName("events")?.Accessor.GetValue(message) is System.Collections.IList { Count: > 0 })
        {
            Interlocked.CompareExchange(ref _eventSeen, Stopwatch.GetTimestamp(), 0);
        }
    }

    private sealed class Reader<TResponse>(IAsyncStreamReader<TResponse> inner, StandbyProbe probe) : IAsyncStreamReader<TResponse>
    {
        public TResponse Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            var moved = await inner.MoveNext(cancellationToken).ConfigureAwait(false);
            if (moved && inner.Current is IMessage message)
            {
                probe.OnResponse(message);
            }

            return moved;
        }
    }
}

using System.Runtime.CompilerServices;
using FakeEtcd.Clock;
using Grpc.Core;

namespace FakeEtcd.Grpc.Streams;

/// <summary>
/// The one way a server stream writes a counted message: the message's <see cref="ActivityScope"/>
/// ends when it is on its way to the client (written and flushed), or, when the stream's client is an
/// in-process fixture client, is handed over and ends when that client has read it. A writer with a
/// flush may buffer messages while more are ready, so a burst leaves in one flush (one socket write)
/// instead of one per message.
/// </summary>
internal sealed class CountedResponseWriter<T>(IServerStreamWriter<T> inner, StreamHandover? handover, Func<CancellationToken, Task>? flush = null)
{
    /// <summary>The most messages one flush carries: a burst may not hold back the first ones for long.</summary>
    public const int MaxBufferedMessages = 16;

    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    private readonly List<ActivityScope> _unflushed = [];
    private int _buffered;

    /// <summary>A writer for the stream of <paramref name="context"/>, handing over to its in-process client if it has one.</summary>
    public static CountedResponseWriter<T> For(IServerStreamWriter<T> inner, ServerCallContext context, StreamHandovers handovers) =>
        new(inner, handovers.Find(context.RequestHeaders.GetValue(StreamHandovers.HeaderName)), FlushOf(context));

    /// <summary>
    /// Writes one message as <paramref name="parts"/> (its fragments, in order); <paramref name="counted"/> is
    /// this writer's to end. With <paramref name="more"/> a single-part message may stay buffered until
    /// <see cref="FlushAsync"/> or a later unbuffered write.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteAsync(IReadOnlyList<T> parts, ActivityScope counted, bool more, CancellationToken cancellationToken)
    {
        var passed = handover?.TryPass(counted) ?? false;
        var buffering = false;
        try
        {
            buffering = more && flush is not null && parts.Count == 1 && _buffered < MaxBufferedMessages;
            foreach (var part in parts)
            {
                inner.WriteOptions = buffering ? Buffered : null;
                await inner.WriteAsync(part, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            buffering = false;
            throw;
        }
        finally
        {
            if (!passed)
            {
                if (buffering)
                {
                    _unflushed.Add(counted);
                }
                else
                {
                    counted.Dispose();
                }
            }

            if (buffering)
            {
                _buffered++;
            }
            else
            {
                EndUnflushed(); // An unbuffered write flushed them too, or the stream failed.
            }
        }
    }

    /// <summary>Writes <paramref name="message"/> and flushes; <paramref name="counted"/> is this writer's to end.</summary>
    public Task WriteAsync(T message, ActivityScope counted, CancellationToken cancellationToken) =>
        WriteAsync([message], counted, more: false, cancellationToken).AsTask();

    /// <summary>Sends what <see cref="WriteAsync(IReadOnlyList{T}, ActivityScope, bool, CancellationToken)"/> left buffered.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_buffered == 0 || flush is null)
        {
            return;
        }

        try
        {
            await flush(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            EndUnflushed();
        }
    }

    private void EndUnflushed()
    {
        _buffered = 0;
        foreach (var scope in _unflushed)
        {
            scope.Dispose();
        }

        _unflushed.Clear();
    }

    // Kestrel's response pipe is what grpc-dotnet flushes after an unbuffered write.
    private static Func<CancellationToken, Task> FlushOf(ServerCallContext context)
    {
        var body = context.GetHttpContext().Response.BodyWriter;
        return async token => await body.FlushAsync(token).ConfigureAwait(false);
    }
}

using FakeEtcd.Clock;
using Grpc.Core;

namespace FakeEtcd.Grpc.Streams;

/// <summary>
/// The one way a server stream writes a counted message: the message's <see cref="ActivityScope"/>
/// ends when it is written, or, when the stream's client is an in-process fixture client, is handed
/// over and ends when that client has read it.
/// </summary>
internal sealed class CountedResponseWriter<T>(IServerStreamWriter<T> inner, StreamHandover? handover)
{
    /// <summary>A writer for the stream of <paramref name="context"/>, handing over to its in-process client if it has one.</summary>
    public static CountedResponseWriter<T> For(IServerStreamWriter<T> inner, ServerCallContext context, StreamHandovers handovers) =>
        new(inner, handovers.Find(context.RequestHeaders.GetValue(StreamHandovers.HeaderName)));

    /// <summary>Writes one message as <paramref name="parts"/> (its fragments, in order); <paramref name="counted"/> is this writer's to end.</summary>
    public async Task WriteAsync(IEnumerable<T> parts, ActivityScope counted, CancellationToken cancellationToken)
    {
        var passed = handover?.TryPass(counted) ?? false;
        try
        {
            foreach (var part in parts)
            {
                await inner.WriteAsync(part, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (!passed)
            {
                counted.Dispose();
            }
        }
    }

    /// <summary>Writes <paramref name="message"/>; <paramref name="counted"/> is this writer's to end.</summary>
    public Task WriteAsync(T message, ActivityScope counted, CancellationToken cancellationToken) =>
        WriteAsync([message], counted, cancellationToken);
}

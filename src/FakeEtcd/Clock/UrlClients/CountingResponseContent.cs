using System.Net;

namespace FakeEtcd.Clock.UrlClients;

/// <summary>
/// The response body of an observed stream call: each message the server handed over counts until the
/// client's gRPC reader has read its last byte and the reader's continuation has run on from it.
/// </summary>
internal sealed class CountingResponseContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly StreamHandover _handover;

    public CountingResponseContent(HttpContent inner, StreamHandover handover)
    {
        _inner = inner;
        _handover = handover;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override async Task<Stream> CreateContentReadStreamAsync() =>
        new ReadStream(await _inner.ReadAsStreamAsync().ConfigureAwait(false), _handover);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// A message read to its last byte stays counted until the reader's continuation has run on up to its
    /// next await: the caller's task is completed from here and its continuation runs inline (gRPC's
    /// reader, then the application's watch loop and callback), so what it does in reaction happens
    /// while the message still counts. A read that completes a message synchronously is handed to the
    /// pool for the same reason: returned at once, the caller would react after the count ended.
    /// </summary>
    private sealed class ReadStream(Stream inner, StreamHandover handover) : OneWayStream(reads: true)
    {
        private readonly GrpcFrames _frames = new();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            End(handover, _frames.Advance(buffer.AsSpan(offset, read)).Completed);
            return read;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var reading = inner.ReadAsync(buffer, cancellationToken);
            if (!reading.IsCompletedSuccessfully)
            {
                var caller = new TaskCompletionSource<int>();
                _ = HandOverAsync(reading, buffer, caller);
                return new ValueTask<int>(caller.Task);
            }

            var read = reading.Result;
            var completed = _frames.Advance(buffer.Span[..read]).Completed;
            if (completed == 0)
            {
                return new ValueTask<int>(read);
            }

            var handed = new TaskCompletionSource<int>();
            ThreadPool.UnsafeQueueUserWorkItem(
                static state =>
                {
                    var (handover, handed, read, completed) = state;
                    handed.TrySetResult(read);
                    End(handover, completed);
                },
                (handover, handed, read, completed),
                preferLocal: false);
            return new ValueTask<int>(handed.Task);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                handover.Dispose(); // Nothing more will be read: whatever is still owed ends.
            }

            base.Dispose(disposing);
        }

        private static void End(StreamHandover handover, int messages)
        {
            for (var i = 0; i < messages; i++)
            {
                handover.Read();
            }
        }

        private async Task HandOverAsync(ValueTask<int> reading, Memory<byte> buffer, TaskCompletionSource<int> caller)
        {
            int read;
            try
            {
                read = await reading.ConfigureAwait(false);
            }
            catch (OperationCanceledException canceled)
            {
                caller.TrySetCanceled(canceled.CancellationToken);
                return;
            }
            catch (Exception failure)
            {
                caller.TrySetException(failure);
                return;
            }

            var completed = _frames.Advance(buffer.Span[..read]).Completed;
            caller.TrySetResult(read);
            End(handover, completed);
        }
    }
}

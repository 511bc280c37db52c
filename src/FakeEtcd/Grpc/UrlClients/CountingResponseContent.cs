using System.Net;
using FakeEtcd.Clock;
using FakeEtcd.Grpc.Streams;

namespace FakeEtcd.Grpc.UrlClients;

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
            End(handover, Completed(buffer.AsSpan(offset, read)));
            return read;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var reading = inner.ReadAsync(buffer, cancellationToken);
            if (!reading.IsCompletedSuccessfully)
            {
                // The frames are counted before the caller gets the bytes: it may reuse the buffer.
                return new ValueTask<int>(CallerHandover.ThenAsync(
                    reading.AsTask(),
                    done => (handover, completed: done.IsCompletedSuccessfully ? Completed(buffer.Span[..done.Result]) : 0),
                    static owed => End(owed.handover, owed.completed)));
            }

            var read = reading.Result;
            var completed = Completed(buffer.Span[..read]);
            return completed == 0
                ? new ValueTask<int>(read)
                : new ValueTask<int>(CallerHandover.HandOverAsync(read, (handover, completed), static owed => End(owed.handover, owed.completed)));
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

        private int Completed(ReadOnlySpan<byte> read) => _frames.Advance(read).Completed;
    }
}

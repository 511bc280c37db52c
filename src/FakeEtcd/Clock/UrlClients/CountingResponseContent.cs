using System.Net;

namespace FakeEtcd.Clock.UrlClients;

/// <summary>
/// The response body of an observed stream call: each message the server handed over counts until the
/// client's gRPC reader has read its last byte. What the reader does with it next runs on the pool,
/// where the settle's idle check sees it.
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

    private sealed class ReadStream(Stream inner, StreamHandover handover) : OneWayStream(reads: true)
    {
        private readonly GrpcFrames _frames = new();

        public override int Read(byte[] buffer, int offset, int count) => Counted(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            return Counted(buffer.Span[..read]);
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

        private int Counted(ReadOnlySpan<byte> read)
        {
            End(handover, _frames.Advance(read).Completed);
            return read.Length;
        }

        private static void End(StreamHandover handover, int messages)
        {
            for (var i = 0; i < messages; i++)
            {
                handover.Read();
            }
        }
    }
}

using System.Net;
using FakeEtcd.Grpc.Streams;

namespace FakeEtcd.Grpc.UrlClients;

/// <summary>
/// The request body of an observed bidi call: each message counts from the moment the client starts
/// writing it until the server has read it, as a fixture channel's writer counts it.
/// </summary>
internal sealed class CountingRequestContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly StreamHandover _handover;
    private readonly Action _sending;

    /// <summary><paramref name="sending"/> runs when a message starts, after it counts.</summary>
    public CountingRequestContent(HttpContent inner, StreamHandover handover, Action sending)
    {
        _inner = inner;
        _handover = handover;
        _sending = sending;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        _inner.CopyToAsync(new WriteStream(stream, _handover, _sending));

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class WriteStream(Stream inner, StreamHandover handover, Action sending) : OneWayStream(reads: false)
    {
        private readonly GrpcFrames _frames = new();

        public override void Write(byte[] buffer, int offset, int count)
        {
            var started = Starting(buffer.AsSpan(offset, count));
            try
            {
                inner.Write(buffer, offset, count);
            }
            catch
            {
                Unsent(started);
                throw;
            }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var started = Starting(buffer.Span);
            try
            {
                await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                Unsent(started);
                throw;
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        /// <summary>Counts every message these bytes start, before they can reach the server.</summary>
        private int Starting(ReadOnlySpan<byte> bytes)
        {
            var started = _frames.Advance(bytes).Started;
            for (var i = 0; i < started; i++)
            {
                handover.Sending();
            }

            if (started > 0)
            {
                sending();
            }

            return started;
        }

        private void Unsent(int started)
        {
            for (var i = 0; i < started; i++)
            {
                handover.Received();
            }
        }
    }
}

using System.Buffers;
using System.IO.Pipelines;

namespace FakeEtcd.Transport.Http2;

/// <summary>
/// A <see cref="PipeReader"/> over a connection's input that hands Kestrel the original buffers
/// (zero copy) except where <see cref="Http2InputScanner"/> replaces a header block.
/// </summary>
/// <remarks>
/// Each read presents either a prefix of the inner buffer that the scanner cleared, or, once
/// that prefix is consumed, the replacement frames; never a mix. Kestrel consumes every
/// complete frame it is shown, so a replacement (complete frames only) is always reached.
/// </remarks>
internal sealed class AuthorityRepairingPipeReader(PipeReader inner, Http2InputScanner scanner) : PipeReader
{
    private ReadOnlySequence<byte> _buffer; // the inner buffer of the outstanding inner read
    private ReadOnlySequence<byte> _presented;
    private bool _presentingReplacement;
    private long _cleared; // bytes at the start of _buffer that pass through
    private long _examinedCleared; // cleared bytes the consumer examined without consuming
    private byte[]? _replacement; // stands for the _replacedLength bytes after the cleared ones
    private int _replacementConsumed;
    private long _replacedLength;

    /// <inheritdoc/>
    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (TryPresent(result, out var presented))
            {
                return presented;
            }
        }
    }

    /// <inheritdoc/>
    public override bool TryRead(out ReadResult result)
    {
        result = default;
        return inner.TryRead(out var innerResult) && TryPresent(innerResult, out result);
    }

    /// <inheritdoc/>
    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    /// <inheritdoc/>
    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var consumedBytes = _presented.Slice(_presented.Start, consumed).Length;
        var examinedAll = _presented.Slice(_presented.Start, examined).Length == _presented.Length;
        if (_presentingReplacement)
        {
            _replacementConsumed += (int)consumedBytes;
            if (_replacementConsumed == _replacement!.Length)
            {
                // The original block is now consumed; what follows it is unexamined.
                var end = _buffer.GetPosition(_replacedLength);
                _replacement = null;
                inner.AdvanceTo(end, end);
            }
            else if (examinedAll)
            {
                throw new InvalidOperationException("the reader stalled inside repaired HTTP/2 header frames");
            }
            else
            {
                inner.AdvanceTo(_buffer.Start, _buffer.Start);
            }

            return;
        }

        _cleared -= consumedBytes;
        _examinedCleared = examinedAll ? _cleared : 0;
        if (examinedAll && _cleared > 0 && _replacement is not null)
        {
            throw new InvalidOperationException("the reader stalled before repaired HTTP/2 header frames");
        }

        // Wait for network data only if nothing else is ready: a pending replacement is.
        var ready = !examinedAll || (_replacement is not null && _cleared == 0);
        inner.AdvanceTo(consumed, ready ? examined : _buffer.End);
    }

    /// <inheritdoc/>
    public override void CancelPendingRead() => inner.CancelPendingRead();

    /// <inheritdoc/>
    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    /// <inheritdoc/>
    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    // Decides what the consumer sees of a new inner read; false means wait for more input.
    private bool TryPresent(ReadResult innerResult, out ReadResult result)
    {
        _buffer = innerResult.Buffer;
        if (_replacement is null)
        {
            _cleared = scanner.Scan(_buffer, _cleared, out _replacement, out _replacedLength);
            _replacementConsumed = 0;
        }

        if (_cleared > _examinedCleared || innerResult.IsCanceled)
        {
            return Present(_buffer.Slice(0, _cleared), replacement: false, innerResult, out result);
        }

        if (_replacement is not null && _cleared == 0)
        {
            var rest = new ReadOnlySequence<byte>(_replacement, _replacementConsumed, _replacement.Length - _replacementConsumed);
            return Present(rest, replacement: true, innerResult, out result);
        }

        if (innerResult.IsCompleted)
        {
            // The stream ended inside a frame: show Kestrel the truncated rest as is.
            _cleared = _buffer.Length;
            _replacement = null;
            return Present(_buffer, replacement: false, innerResult, out result);
        }

        inner.AdvanceTo(_buffer.Start, _buffer.End);
        result = default;
        return false;
    }

    private bool Present(in ReadOnlySequence<byte> presented, bool replacement, ReadResult innerResult, out ReadResult result)
    {
        _presented = presented;
        _presentingReplacement = replacement;
        var everything = !replacement && presented.Length == _buffer.Length;
        result = new ReadResult(presented, innerResult.IsCanceled, innerResult.IsCompleted && everything);
        return true;
    }
}

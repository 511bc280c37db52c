using System.IO.Pipelines;

namespace FakeEtcd.Transport.InMemory;

/// <summary>
/// The server's input on an in-memory connection. Aborting it ends the input as a reset socket's
/// receive loop does (the next read reports completion), which Kestrel waits for before it lets a
/// stopping connection go; the client's own pipe stays open, as its socket would until it noticed.
/// </summary>
internal sealed class AbortableReader(PipeReader inner) : PipeReader
{
    private volatile bool _aborted;

    public void Abort()
    {
        _aborted = true;
        inner.CancelPendingRead();
    }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_aborted)
        {
            return new ReadResult(default, isCanceled: false, isCompleted: true);
        }

        var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (_aborted)
        {
            inner.AdvanceTo(result.Buffer.Start);
            return new ReadResult(default, isCanceled: false, isCompleted: true);
        }

        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (_aborted)
        {
            result = new ReadResult(default, isCanceled: false, isCompleted: true);
            return true;
        }

        return inner.TryRead(out result);
    }

    public override void AdvanceTo(SequencePosition consumed)
    {
        if (!_aborted)
        {
            inner.AdvanceTo(consumed);
        }
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (!_aborted)
        {
            inner.AdvanceTo(consumed, examined);
        }
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);
}

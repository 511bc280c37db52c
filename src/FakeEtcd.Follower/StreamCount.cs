using System.Collections.Concurrent;
using Grpc.Core;

namespace FakeEtcd.Follower;

/// <summary>This process's live streaming calls, by call number.</summary>
internal sealed class FollowerStreams(FollowerActivity activity, Action<ulong, ulong> ended)
{
    private readonly ConcurrentDictionary<ulong, StreamCount> _live = new();

    /// <summary>Messages written on streams that have not ended.</summary>
    public ulong Written => (ulong)_live.Values.Sum(s => s.Written);

    public StreamCount Open(ulong number)
    {
        var count = new StreamCount(this, activity, number);
        _live[number] = count;
        return count;
    }

    internal void Ended(StreamCount count, ulong number, ulong read)
    {
        _live.TryRemove(number, out _);
        ended(number, read);
    }
}

/// <summary>The messages read and written on one streaming call, until it ends (read to the end, failed or disposed).</summary>
internal sealed class StreamCount(FollowerStreams streams, FollowerActivity activity, ulong number)
{
    private long _read;
    private long _written;
    private int _ended;

    public long Written => Interlocked.Read(ref _written);

    public void Wrote()
    {
        Interlocked.Increment(ref _written);
        activity.Touched();
    }

    /// <summary>A message has arrived and is being handed to the reader: the stream's count includes it from now on.</summary>
    public void Arrived() => Interlocked.Increment(ref _read);

    /// <summary>The reader has run on from the message that <see cref="Arrived"/>: this process has read it.</summary>
    public void Consumed() => activity.MessageRead();

    /// <summary>A call's dispose that ends the stream's count first.</summary>
    public Action EndThen(Action dispose) => () =>
    {
        End();
        dispose();
    };

    public void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        streams.Ended(this, number, (ulong)Interlocked.Read(ref _read));
        activity.Touched();
    }
}

/// <summary>Counts what the application writes on a stream.</summary>
internal sealed class CountingWriter<T>(IClientStreamWriter<T> inner, StreamCount count) : IClientStreamWriter<T>
{
    public WriteOptions? WriteOptions
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    public Task CompleteAsync() => inner.CompleteAsync();

    public Task WriteAsync(T message)
    {
        count.Wrote();
        return inner.WriteAsync(message);
    }

    public Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        count.Wrote();
        return inner.WriteAsync(message, cancellationToken);
    }
}

/// <summary>
/// Counts what the application reads from a stream; the stream's end reports the count. A message
/// counts as read only once the reader's continuation has run up to its next await: the caller's task
/// completes first (its continuation runs inline), so what it starts in reaction (a takeover's CAS) is
/// already in flight when the tick can be reported done.
/// </summary>
internal sealed class CountingReader<T>(IAsyncStreamReader<T> inner, StreamCount count) : IAsyncStreamReader<T>
{
    public T Current => inner.Current;

    public Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        Task<bool> moving;
        try
        {
            moving = inner.MoveNext(cancellationToken);
        }
        catch
        {
            count.End();
            throw;
        }

        if (moving.IsCompleted)
        {
            Arrived(moving);
            Consumed(moving);
            return moving;
        }

        var handed = new TaskCompletionSource<bool>();
        moving.ContinueWith(
            done =>
            {
                // Counted for the stream before the reader runs: it may end the call from inside
                // (stop watching), and the end reports what was read.
                Arrived(done);
                try
                {
                    if (done.IsCanceled)
                    {
                        handed.TrySetCanceled();
                    }
                    else if (done.Exception is { } failure)
                    {
                        handed.TrySetException(failure.InnerExceptions);
                    }
                    else
                    {
                        handed.TrySetResult(done.Result);
                    }
                }
                finally
                {
                    Consumed(done);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return handed.Task;
    }

    private void Arrived(Task<bool> done)
    {
        if (done.IsCompletedSuccessfully && done.Result)
        {
            count.Arrived();
        }
    }

    private void Consumed(Task<bool> done)
    {
        if (done.IsCompletedSuccessfully && done.Result)
        {
            count.Consumed();
        }
        else
        {
            count.End();
        }
    }
}

using System.Collections.Concurrent;
using FakeEtcd.Clock;
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

    public void Read()
    {
        Interlocked.Increment(ref _read);
        activity.MessageRead();
    }

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
/// Counts what the application reads from a stream: a message counts as read once the reader's
/// continuation has run on from it (<see cref="CallerHandover"/>); the stream's end reports the count.
/// </summary>
internal sealed class CountingReader<T>(IAsyncStreamReader<T> inner, StreamCount count) : IAsyncStreamReader<T>
{
    public T Current => inner.Current;

    public Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        Task<bool> reading;
        try
        {
            reading = inner.MoveNext(cancellationToken);
        }
        catch
        {
            count.End();
            throw;
        }

        return CallerHandover.ThenAsync(reading, Account);
    }

    private void Account(Task<bool> read)
    {
        if (read.IsCompletedSuccessfully && read.Result)
        {
            count.Read();
        }
        else
        {
            count.End();
        }
    }
}

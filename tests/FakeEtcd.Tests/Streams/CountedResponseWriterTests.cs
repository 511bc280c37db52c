using FakeEtcd.Clock;
using FakeEtcd.Grpc.Streams;
using Grpc.Core;

namespace FakeEtcd.Tests.Streams;

/// <summary>
/// The watch sender's writer: a message written while more are ready stays buffered (gRPC's
/// BufferHint) and stays counted as activity until a flush or a later unbuffered write sends it;
/// bursts flush every <see cref="CountedResponseWriter{T}.MaxBufferedMessages"/> messages; a
/// fragmented message is never buffered; a failed write ends every scope it held.
/// </summary>
public sealed class CountedResponseWriterTests
{
    private readonly ActivityTracker _activity = new();
    private readonly RecordingWriter _inner = new();
    private int _flushes;

    private CountedResponseWriter<string> Writer() => new(_inner, null, _ =>
    {
        _flushes++;
        _inner.Log.Add("flush");
        return Task.CompletedTask;
    });

    [Fact]
    public async Task Buffered_messages_stay_counted_until_the_flush()
    {
        var writer = Writer();
        await writer.WriteAsync(["a"], _activity.Begin(), more: true, TestContext.Current.CancellationToken);
        await writer.WriteAsync(["b"], _activity.Begin(), more: true, TestContext.Current.CancellationToken);
        Assert.Equal(2, _activity.InFlight);

        await writer.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, _activity.InFlight);
        Assert.Equal(["a:buffer", "b:buffer", "flush"], _inner.Log);

        await writer.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, _flushes); // Nothing buffered: no second flush.
    }

    [Fact]
    public async Task An_unbuffered_write_sends_and_ends_the_buffered_ones_too()
    {
        var writer = Writer();
        await writer.WriteAsync(["a"], _activity.Begin(), more: true, TestContext.Current.CancellationToken);
        await writer.WriteAsync(["b"], _activity.Begin(), more: false, TestContext.Current.CancellationToken);

        Assert.Equal(0, _activity.InFlight);
        Assert.Equal(["a:buffer", "b:flush"], _inner.Log);
        await writer.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, _flushes);
    }

    [Fact]
    public async Task A_burst_flushes_every_MaxBufferedMessages()
    {
        var writer = Writer();
        var max = CountedResponseWriter<string>.MaxBufferedMessages;
        for (var i = 0; i <= max; i++)
        {
            await writer.WriteAsync([$"m{i}"], _activity.Begin(), more: true, TestContext.Current.CancellationToken);
        }

        Assert.Equal([.. Enumerable.Range(0, max).Select(i => $"m{i}:buffer"), $"m{max}:flush"], _inner.Log);
        Assert.Equal(0, _activity.InFlight);
    }

    [Fact]
    public async Task Fragments_are_never_buffered()
    {
        var writer = Writer();
        await writer.WriteAsync(["f1", "f2"], _activity.Begin(), more: true, TestContext.Current.CancellationToken);

        Assert.Equal(["f1:flush", "f2:flush"], _inner.Log);
        Assert.Equal(0, _activity.InFlight);
    }

    [Fact]
    public async Task Without_a_flush_nothing_is_buffered()
    {
        var writer = new CountedResponseWriter<string>(_inner, null);
        await writer.WriteAsync(["a"], _activity.Begin(), more: true, TestContext.Current.CancellationToken);

        Assert.Equal(["a:flush"], _inner.Log);
        Assert.Equal(0, _activity.InFlight);
    }

    [Fact]
    public async Task A_failed_write_ends_its_scope_and_the_buffered_ones()
    {
        var writer = Writer();
        await writer.WriteAsync(["a"], _activity.Begin(), more: true, TestContext.Current.CancellationToken);
        _inner.FailNext = true;

        await Assert.ThrowsAsync<RpcException>(() => writer.WriteAsync(["b"], _activity.Begin(), more: true, TestContext.Current.CancellationToken).AsTask());
        Assert.Equal(0, _activity.InFlight);
        await writer.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, _flushes);
    }

    /// <summary>Records each message with whether it was written buffered or flushed.</summary>
    private sealed class RecordingWriter : IServerStreamWriter<string>
    {
        public List<string> Log { get; } = [];

        public bool FailNext { get; set; }

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(string message) => WriteAsync(message, CancellationToken.None);

        public Task WriteAsync(string message, CancellationToken cancellationToken)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new RpcException(new Status(StatusCode.Unavailable, "stream gone"));
            }

            var buffered = WriteOptions is { } options && options.Flags.HasFlag(WriteFlags.BufferHint);
            Log.Add($"{message}:{(buffered ? "buffer" : "flush")}");
            return Task.CompletedTask;
        }
    }
}

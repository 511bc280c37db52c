using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace FakeEtcd.Transport.InMemory;

/// <summary>The server's end of an in-memory connection; aborting it completes both pipes, as a reset socket would.</summary>
internal sealed class InMemoryConnection(string id, AbortableReader input, PipeWriter output, EndPoint local, Action closed) : ConnectionContext
{
    private readonly CancellationTokenSource _closed = new();

    public override string ConnectionId { get; set; } = id;

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; } = new DuplexPipe(input, output);

    public override EndPoint? LocalEndPoint { get; set; } = local;

    public override EndPoint? RemoteEndPoint { get; set; } = local;

    public override CancellationToken ConnectionClosed
    {
        get => _closed.Token;
        set { }
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        input.Abort();
        output.Complete(abortReason);
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Aborted while Kestrel disposed it: closed either way.
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await input.CompleteAsync().ConfigureAwait(false);
        await output.CompleteAsync().ConfigureAwait(false);
        closed();
        _closed.Dispose();
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}

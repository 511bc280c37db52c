using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace FakeEtcd.Hosting.InMemory;

/// <summary>The server's end of an in-memory connection; aborting it completes both pipes, as a reset socket would.</summary>
internal sealed class InMemoryConnection(string id, IDuplexPipe transport, EndPoint local) : ConnectionContext
{
    private readonly CancellationTokenSource _closed = new();

    public override string ConnectionId { get; set; } = id;

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; } = transport;

    public override EndPoint? LocalEndPoint { get; set; } = local;

    public override EndPoint? RemoteEndPoint { get; set; } = local;

    public override CancellationToken ConnectionClosed
    {
        get => _closed.Token;
        set { }
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        Transport.Input.CancelPendingRead();
        Transport.Output.Complete(abortReason);
        _closed.Cancel();
    }

    public override async ValueTask DisposeAsync()
    {
        await Transport.Input.CompleteAsync().ConfigureAwait(false);
        await Transport.Output.CompleteAsync().ConfigureAwait(false);
        _closed.Dispose();
    }
}

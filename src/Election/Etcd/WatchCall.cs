using EtcdProtocol.Etcdserverpb;
using Grpc.Core;

namespace Election.Etcd;

/// <summary>
/// One watch on its own Watch stream: created on construction, cancelled by disposing. The recipes
/// each wait for one key at a time, so multiplexing watches on one stream would buy nothing.
/// </summary>
internal sealed class WatchCall : IDisposable
{
    private readonly AsyncDuplexStreamingCall<WatchRequest, WatchResponse> _call;
    private readonly CancellationToken _cancellationToken;

    private WatchCall(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, CancellationToken cancellationToken)
    {
        _call = call;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Opens a stream and sends the create request; events from its start revision follow.</summary>
    public static async Task<WatchCall> StartAsync(EtcdApi etcd, WatchCreateRequest create, CancellationToken cancellationToken)
    {
        var call = etcd.Watch.Watch(cancellationToken: cancellationToken);
        try
        {
            await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = create }, cancellationToken).ConfigureAwait(false);
            return new WatchCall(call, cancellationToken);
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    public static Task<WatchCall> StartAsync(EtcdApi etcd, string key, long startRevision, CancellationToken cancellationToken) =>
        StartAsync(etcd, new WatchCreateRequest { Key = Keys.Bytes(key), StartRevision = startRevision, PrevKv = true }, cancellationToken);

    /// <summary>
    /// The next response that means something to a waiter: events, a cancellation (compaction or
    /// error), or a progress notification. The bare "created" acknowledgement is skipped, as Go's
    /// client does. Null when the server ended the stream.
    /// </summary>
    public async Task<WatchResponse?> NextAsync()
    {
        while (await _call.ResponseStream.MoveNext(_cancellationToken).ConfigureAwait(false))
        {
            var response = _call.ResponseStream.Current;
            if (response.Created && !response.Canceled && response.Events.Count == 0)
            {
                continue;
            }

            return response;
        }

        return null;
    }

    public void Dispose() => _call.Dispose();
}

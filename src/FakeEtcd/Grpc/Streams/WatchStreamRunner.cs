using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using FakeEtcd.Clock;
using FakeEtcd.Watch;
using Grpc.Core;

namespace FakeEtcd.Grpc.Streams;

/// <summary>
/// Runs one Watch RPC (etcd's serverWatchStream): a request loop that applies creates, cancels and
/// progress requests in order, a sender that writes the outbox in order, and the stream's progress
/// ticker on the server clock. A client half-close does not end the watches; only the call's end does.
/// </summary>
internal sealed class WatchStreamRunner
{
    private readonly WatchHub _hub;
    private readonly WatchSettings _settings;
    private readonly ActivityTracker _activity;
    private readonly TimeProvider _clock;
    private readonly WatchSession _session;

    public WatchStreamRunner(WatchHub hub, WatchSettings settings, ActivityTracker activity, TimeProvider clock)
    {
        _hub = hub;
        _settings = settings;
        _activity = activity;
        _clock = clock;
        _session = new WatchSession(new WatchOutbox(activity, settings.StreamCapacity))
        {
            Client = CallAttribution.Current,
            StreamName = CallAttribution.CurrentStream,
        };
    }

    public async Task RunAsync(
        IAsyncStreamReader<WatchRequest> requests, CountedResponseWriter<WatchResponse> responses, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // etcd's per-stream progress ticker; a non-positive interval disables it.
        var interval = _settings.ProgressNotifyInterval > TimeSpan.Zero ? _settings.ProgressNotifyInterval : Timeout.InfiniteTimeSpan;
        var ticker = _clock.CreateTimer(_ => _hub.ProgressTick(_session), null, interval, interval);
        var sender = SendAsync(responses, stop);
        try
        {
            await ReceiveAsync(requests, stop.Token).ConfigureAwait(false);
            // Half-closed: keep serving the watches until the client cancels or sending fails.
            await sender.ConfigureAwait(false);
        }
        finally
        {
            await ticker.DisposeAsync().ConfigureAwait(false);
            _hub.Close(_session);
            _session.Outbox.Close();
            await stop.CancelAsync().ConfigureAwait(false);
            await sender.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private async Task ReceiveAsync(IAsyncStreamReader<WatchRequest> requests, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Back-pressure: a client that sends without reading waits here instead of growing the queue.
            await _session.Outbox.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
            if (!await requests.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var request = requests.Current;
            switch (request.RequestUnionCase)
            {
                case WatchRequest.RequestUnionOneofCase.CreateRequest:
                    _hub.Create(_session, request.CreateRequest);
                    break;
                case WatchRequest.RequestUnionOneofCase.CancelRequest:
                    _hub.Cancel(_session, request.CancelRequest.WatchId);
                    break;
                case WatchRequest.RequestUnionOneofCase.ProgressRequest:
                    _hub.RequestProgressAll(_session);
                    break;
                default:
                    break; // etcd ignores a request with no oneof set.
            }
        }
    }

    private async Task SendAsync(CountedResponseWriter<WatchResponse> responses, CancellationTokenSource stop)
    {
        try
        {
            await SendLoopAsync(responses, stop.Token).ConfigureAwait(false);
        }
        catch
        {
            // A failed write ends the stream: stop the request loop too, as etcd closes the stream.
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task SendLoopAsync(CountedResponseWriter<WatchResponse> responses, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!_session.Outbox.TryDequeue(out var next))
            {
                // Nothing ready: what a burst left buffered goes out before the sender waits.
                await responses.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (await _session.Outbox.DequeueAsync(cancellationToken).ConfigureAwait(false) is not { } waited)
                {
                    return;
                }

                next = waited;
            }

            // The sender's own activity spans the write and the catch-up it may start, so a settle
            // cannot slip in between the last queued message and the history still to be queued.
            using var sending = _activity.Begin();
            await WriteAsync(responses, next, _session.Outbox.HasReady, cancellationToken).ConfigureAwait(false);
            if (_session.Outbox.TakeCatchUpRequest())
            {
                _hub.CatchUp(_session);
            }
        }
    }

    /// <summary>Writes one queued response (in fragments if its watcher asked), buffered while <paramref name="more"/> are ready; its activity goes with it.</summary>
    private ValueTask WriteAsync(CountedResponseWriter<WatchResponse> responses, OutboundResponse next, bool more, CancellationToken cancellationToken)
    {
        _hub.Delivered(_session, next.Response);
        IReadOnlyList<WatchResponse> parts = next.Fragment ? [.. WatchFragmenter.Split(next.Response, _settings.FragmentBytes)] : [next.Response];
        return responses.WriteAsync(parts, next.Counted, more, cancellationToken);
    }
}

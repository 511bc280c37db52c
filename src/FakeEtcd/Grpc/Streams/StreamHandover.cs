using System.Collections.Concurrent;
using FakeEtcd.Clock;

namespace FakeEtcd.Grpc.Streams;

/// <summary>
/// Hands the activity of a server stream message over to the in-process client that reads it, so a
/// settle covers the message until the client has read it, not only until the server has written
/// it. The server passes each message before writing it; the client's reader ends its activity
/// when it has read it; whatever is still owed when the client goes away is ended then. The other
/// direction works the same way: a message the client writes counts until the server has read it.
/// A client that goes away while the server's handler still runs counts until that handler has
/// ended, so the server's side of a close (a watch stream's watchers removed) lands in the same settle.
/// The client holds it for the call and disposes it when the call is over.
/// </summary>
internal sealed class StreamHandover(ActivityTracker activity, StreamHandovers registry, string token, bool countsEnd = false) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<ActivityScope> _owed = new();
    private readonly Queue<ActivityScope> _inbound = new();
    private long _delivering;
    private bool _clientGone;
    private bool _serverRunning;
    private ActivityScope? _closing;
    private ActivityScope? _handling;
    private ActivityScope? _ending;

    /// <summary>What the client sends in its call metadata so the server finds this handover.</summary>
    public string Token => token;

    /// <summary>Client: the call is over (closed from the registry, so the server no longer finds it).</summary>
    public void Dispose() => registry.Close(token);

    /// <summary>Client: a request message is being written; it counts until the server reads it.</summary>
    public void Sending()
    {
        lock (_gate)
        {
            if (!_clientGone)
            {
                _inbound.Enqueue(activity.Begin());
            }
        }
    }

    /// <summary>Server: one request message has been read (or the client's write failed).</summary>
    public void Received()
    {
        ActivityScope? arrived;
        lock (_gate)
        {
            _inbound.TryDequeue(out arrived);
        }

        arrived?.Dispose();
    }

    /// <summary>
    /// Server: one request message has been read and the handler is acting on it; it keeps counting
    /// until <see cref="Handled"/> (the handler asks for the next message) or the handler ends, so a
    /// settle cannot return between the read and what the handler does with it (a watch created).
    /// </summary>
    public void Picked()
    {
        ActivityScope? previous;
        lock (_gate)
        {
            previous = _handling;
            _inbound.TryDequeue(out _handling);
        }

        previous?.Dispose();
    }

    /// <summary>Server: the handler is done with the message it picked last.</summary>
    public void Handled()
    {
        ActivityScope? handled;
        lock (_gate)
        {
            (handled, _handling) = (_handling, null);
        }

        handled?.Dispose();
    }

    /// <summary>
    /// Server: the client will end this message's activity when it has read it, so the handover takes
    /// <paramref name="message"/>. False when the client is gone: the caller still holds it and ends it.
    /// </summary>
    public bool TryPass(ActivityScope message)
    {
        lock (_gate)
        {
            if (_clientGone)
            {
                return false;
            }

            _owed.Enqueue(message);
            return true;
        }
    }

    /// <summary>
    /// Client: one message has arrived and is being handed to the reader, whose continuation may run
    /// inline and even dispose the call; the message keeps counting until <see cref="Read"/>.
    /// </summary>
    public void Delivering()
    {
        lock (_gate)
        {
            _delivering++;
        }
    }

    /// <summary>Client: one message has been read (and handed on, after <see cref="Delivering"/>).</summary>
    public void Read()
    {
        ActivityScope? read;
        lock (_gate)
        {
            if (_delivering > 0)
            {
                _delivering--;
            }

            _owed.TryDequeue(out read);
        }

        read?.Dispose();
    }

    /// <summary>Server: the call's handler started.</summary>
    public void ServerStarted()
    {
        lock (_gate)
        {
            _serverRunning = true;
        }
    }

    /// <summary>Server: the call's handler ended; a close the client started is over, one it did not start counts until it has seen it.</summary>
    public void ServerEnded()
    {
        ActivityScope? closing;
        ActivityScope? handling;
        lock (_gate)
        {
            _serverRunning = false;
            (closing, _closing) = (_closing, null);
            (handling, _handling) = (_handling, null);
            if (countsEnd && !_clientGone)
            {
                // The call's end (its status, an error) is on its way to a client still reading: it
                // counts until the client's reader has run on from it (ClientGone), as a message does.
                _ending ??= activity.Begin();
            }
        }

        handling?.Dispose();
        closing?.Dispose();
    }

    /// <summary>Client: the call is over; nothing more will be read.</summary>
    public void ClientGone()
    {
        var ended = new List<ActivityScope>();
        lock (_gate)
        {
            if (_serverRunning && !_clientGone)
            {
                // Begun before the other scopes end, so the settle never sees a gap.
                _closing = activity.Begin();
            }

            _clientGone = true;
            ended.AddRange(_inbound);
            _inbound.Clear();
            if (_ending is not null)
            {
                ended.Add(_ending);
                _ending = null;
            }

            // A message still being handed over is ended by its Read, not by a ClientGone from inside it.
            while (_owed.Count > _delivering)
            {
                ended.Add(_owed.Dequeue());
            }
        }

        foreach (var scope in ended)
        {
            scope.Dispose();
        }
    }
}

/// <summary>The open handovers of one activity tracker, by the token the client sends in its call metadata.</summary>
internal sealed class StreamHandovers(ActivityTracker activity)
{
    /// <summary>The request header that carries the token.</summary>
    public const string HeaderName = "fakeetcd-settle-stream";

    private readonly ConcurrentDictionary<string, StreamHandover> _open = new(StringComparer.Ordinal);

    /// <summary>The work counter the handed-over messages count in.</summary>
    public ActivityTracker Activity => activity;

    /// <summary>Opens a handover; <paramref name="countsEnd"/> when the client reads its stream to the end by itself (the fixture's eager reader), so a call's end can count until it has been seen.</summary>
    public StreamHandover Open(bool countsEnd = false)
    {
        var handover = new StreamHandover(activity, this, Guid.NewGuid().ToString("N"), countsEnd);
        _open[handover.Token] = handover;
        return handover;
    }

    public StreamHandover? Find(string? token) => token is not null && _open.TryGetValue(token, out var handover) ? handover : null;

    public void Close(string token)
    {
        if (_open.TryRemove(token, out var handover))
        {
            handover.ClientGone();
        }
    }
}

using System.Collections.Concurrent;

namespace FakeEtcd.Clock;

/// <summary>
/// Hands the activity of a server stream message over to the in-process client that reads it, so a
/// settle covers the message until the client has read it, not only until the server has written
/// it. The server passes each message before writing it; the client's reader ends its activity
/// when it has read it; whatever is still owed when the client goes away is ended then. The other
/// direction works the same way: a message the client writes counts until the server has read it.
/// A client that goes away while the server's handler still runs counts until that handler has
/// ended, so the server's side of a close (a watch stream's watchers removed) lands in the same settle.
/// </summary>
internal sealed class StreamHandover(ActivityTracker activity)
{
    private readonly Lock _gate = new();
    private long _owed;
    private long _inbound;
    private long _delivering;
    private bool _clientGone;
    private bool _serverRunning;
    private bool _closing;

    /// <summary>Client: a request message is being written; it counts until the server reads it.</summary>
    public void Sending()
    {
        lock (_gate)
        {
            if (_clientGone)
            {
                return;
            }

            _inbound++;
        }

        activity.Enter();
    }

    /// <summary>Server: one request message has been read (or the client's write failed).</summary>
    public void Received()
    {
        lock (_gate)
        {
            if (_inbound == 0)
            {
                return;
            }

            _inbound--;
        }

        activity.Exit();
    }

    /// <summary>Server: the client will end this message's activity. False when the client is gone (the server ends it).</summary>
    public bool Pass()
    {
        lock (_gate)
        {
            if (_clientGone)
            {
                return false;
            }

            _owed++;
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
        lock (_gate)
        {
            if (_delivering > 0)
            {
                _delivering--;
            }
        }

        Settle(1);
    }

    /// <summary>Server: the call's handler started.</summary>
    public void ServerStarted()
    {
        lock (_gate)
        {
            _serverRunning = true;
        }
    }

    /// <summary>Server: the call's handler ended; a close the client started is over.</summary>
    public void ServerEnded()
    {
        lock (_gate)
        {
            _serverRunning = false;
            if (_closing)
            {
                _closing = false;
                activity.Exit();
            }
        }
    }

    /// <summary>Client: the call is over; nothing more will be read.</summary>
    public void ClientGone()
    {
        long inbound;
        lock (_gate)
        {
            if (_serverRunning && !_clientGone)
            {
                // Entered before the other counts end, so the settle never sees a gap.
                _closing = true;
                activity.Enter();
            }

            _clientGone = true;
            (inbound, _inbound) = (_inbound, 0);
        }

        for (var i = 0; i < inbound; i++)
        {
            activity.Exit();
        }

        Settle(long.MaxValue);
    }

    private void Settle(long upTo)
    {
        long count;
        lock (_gate)
        {
            // A message still being handed over is ended by its Read, not by a ClientGone from inside it.
            var settleable = upTo == long.MaxValue ? Math.Max(0, _owed - _delivering) : _owed;
            count = Math.Min(upTo, settleable);
            _owed -= count;
        }

        for (var i = 0; i < count; i++)
        {
            activity.Exit();
        }
    }
}

/// <summary>The open handovers of one activity tracker, by the token the client sends in its call metadata.</summary>
internal sealed class StreamHandovers(ActivityTracker activity)
{
    /// <summary>The request header that carries the token.</summary>
    public const string HeaderName = "fakeetcd-settle-stream";

    private readonly ConcurrentDictionary<string, StreamHandover> _open = new(StringComparer.Ordinal);

    public (string Token, StreamHandover Handover) Open()
    {
        var token = Guid.NewGuid().ToString("N");
        var handover = new StreamHandover(activity);
        _open[token] = handover;
        return (token, handover);
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

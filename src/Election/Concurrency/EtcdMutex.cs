using Election.Etcd;
using EtcdProtocol.Etcdserverpb;
using Google.Protobuf;

namespace Election;

/// <summary>
/// A distributed mutex with the layout of Go's <c>concurrency.Mutex</c> and <c>etcdctl lock</c>:
/// each waiter puts an empty <c>&lt;prefix&gt;/&lt;lease hex&gt;</c> on its session lease; the
/// lowest create revision owns the lock; a waiter watches only its predecessor.
/// </summary>
public sealed class EtcdMutex
{
    private readonly Session _session;
    private readonly string _prefix;

    /// <summary>Creates a mutex on <paramref name="name"/> (keys live under <c>name + "/"</c>).</summary>
    public EtcdMutex(Session session, string name)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(name);
        _session = session;
        _prefix = name + "/";
    }

    /// <summary>Our lock key while held or waiting, else empty.</summary>
    public string Key { get; private set; } = string.Empty;

    /// <summary>Our key's create revision: a fencing token for <c>If(CreateRevision(Key) == Revision)</c>; -1 when not held.</summary>
    public long Revision { get; private set; } = -1;

    /// <summary>The revision at which the lock was acquired.</summary>
    public long HeaderRevision { get; private set; }

    /// <summary>Waits for the lock. On cancellation or failure our waiting key is removed.</summary>
    public async Task LockAsync(CancellationToken cancellationToken = default)
    {
        var etcd = _session.Etcd;
        Key = Keys.LeaseKey(_prefix, _session.LeaseId);
        var owner = new RequestOp { RequestRange = Keys.FirstCreated(_prefix) };
        var response = await etcd.Kv.TxnAsync(
            new TxnRequest
            {
                Compare = { Keys.CreateRevisionIs(Key, 0) },
                Success = { Keys.Put(Key, ByteString.Empty, _session.LeaseId), owner },
                Failure = { Keys.Get(Key), owner },
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        Revision = response.Succeeded ? response.Header.Revision : response.Responses[0].ResponseRange.Kvs[0].CreateRevision;
        var first = response.Responses[1].ResponseRange.Kvs;
        if (first.Count == 0 || first[0].CreateRevision == Revision)
        {
            HeaderRevision = response.Header.Revision;
            return;
        }

        try
        {
            var header = await WaitDeletes.UntilAsync(etcd, _prefix, Revision - 1, _session.TimeProvider, cancellationToken).ConfigureAwait(false);
            // etcd 3.5: make sure our key survived the wait (the session may have expired meanwhile).
            var mine = await etcd.Kv.RangeAsync(new RangeRequest { Key = Keys.Bytes(Key) }, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (mine.Kvs.Count == 0)
            {
                throw new ElectionException(ElectionException.SessionExpiredMessage);
            }

            HeaderRevision = header.Revision;
        }
        catch
        {
            await UnlockAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Releases the lock (deletes our key; a missing key is fine).</summary>
    public async Task UnlockAsync(CancellationToken cancellationToken = default)
    {
        if (Key.Length > 0)
        {
            await _session.Etcd.Kv.DeleteRangeAsync(new DeleteRangeRequest { Key = Keys.Bytes(Key) }, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }

        (Key, Revision) = (string.Empty, -1);
    }
}

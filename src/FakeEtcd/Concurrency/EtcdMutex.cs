using EtcdProtocol.Etcdserverpb;
using EtcdProtocol.V3Lockpb;
using FakeEtcd.Apply;

namespace FakeEtcd.Concurrency;

/// <summary>concurrency.Mutex as etcd's lock server drives it: the oldest key under <c>name/</c> holds the lock.</summary>
/// <param name="applier">The apply path the Mutex's requests go through.</param>
/// <param name="waits">Wakes waiters when a key before theirs is deleted.</param>
/// <param name="checksKeyAfterWait">3.5's Mutex (etcd#11408): after the wait, re-read the own key and fail when it is gone; 3.4's returns the wait's header.</param>
internal sealed class EtcdMutex(Applier applier, KeyWaits waits, bool checksKeyAfterWait)
{
    public async Task<LockResponse> LockAsync(LockRequest request, CancellationToken cancellationToken)
    {
        var lease = SessionLease.Resolve(applier, request.Lease);
        var prefix = ConcurrencyKeys.Prefix(request.Name);
        var myKey = ConcurrencyKeys.Key(prefix, lease);
        var owner = new RequestOp { RequestRange = ConcurrencyKeys.FirstCreated(prefix) };
        var txn = applier.Txn(new TxnRequest
        {
            Compare = { ConcurrencyKeys.CreateRevisionIs(myKey, 0) },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = myKey, Lease = lease } }, owner },
            Failure = { new RequestOp { RequestRange = new RangeRequest { Key = myKey } }, owner.Clone() },
        });
        var myRev = txn.Succeeded ? txn.Header.Revision : txn.Responses[0].ResponseRange.Kvs[0].CreateRevision;
        var ownerKvs = txn.Responses[1].ResponseRange.Kvs;
        if (ownerKvs.Count == 0 || ownerKvs[0].CreateRevision == myRev)
        {
            return new LockResponse { Header = txn.Header, Key = myKey };
        }

        ResponseHeader waited;
        RangeResponse? mine = null;
        try
        {
            waited = await WaitDeletes.RunAsync(applier, waits, prefix, myRev - 1, cancellationToken).ConfigureAwait(false);
            if (checksKeyAfterWait)
            {
                mine = applier.Range(new RangeRequest { Key = myKey });
            }
        }
        catch
        {
            Unlock(new UnlockRequest { Key = myKey }); // Go releases the waiter's key when the wait fails.
            throw;
        }

        if (mine is null)
        {
            return new LockResponse { Header = waited, Key = myKey };
        }

        return mine.Kvs.Count == 0
            ? throw ConcurrencyErrors.SessionExpired()
            : new LockResponse { Header = mine.Header, Key = myKey };
    }

    /// <summary>A plain delete of the key: a key that is gone already still succeeds.</summary>
    public UnlockResponse Unlock(UnlockRequest request) =>
        new() { Header = applier.DeleteRange(new DeleteRangeRequest { Key = request.Key }).Header };
}

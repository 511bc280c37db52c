using EtcdProtocol.Etcdserverpb;
using EtcdProtocol.V3Electionpb;
using FakeEtcd.Apply;
using Google.Protobuf;

namespace FakeEtcd.Concurrency;

/// <summary>
/// concurrency.Election as etcd's election server drives it: one session per call (see
/// <see cref="SessionLease"/>), a key <c>name/%x(lease)</c> per candidate, the first-created key
/// under <c>name/</c> leads.
/// </summary>
internal sealed class Election(Applier applier, KeyWaits waits)
{
    /// <summary>Campaign: join (or rejoin) the candidates, then block until every older candidate is gone.</summary>
    public async Task<CampaignResponse> CampaignAsync(CampaignRequest request, CancellationToken cancellationToken)
    {
        var lease = SessionLease.Resolve(applier, request.Lease);
        var prefix = ConcurrencyKeys.Prefix(request.Name);
        var key = ConcurrencyKeys.Key(prefix, lease);
        var txn = applier.Txn(new TxnRequest
        {
            Compare = { ConcurrencyKeys.CreateRevisionIs(key, 0) },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = key, Value = request.Value, Lease = lease } } },
            Failure = { new RequestOp { RequestRange = new RangeRequest { Key = key } } },
        });
        var rev = txn.Header.Revision;
        if (!txn.Succeeded)
        {
            var existing = txn.Responses[0].ResponseRange.Kvs[0];
            rev = existing.CreateRevision;
            if (existing.Value != request.Value)
            {
                try
                {
                    Proclaim(key, rev, lease, request.Value);
                }
                catch
                {
                    Resign(key, rev);
                    throw;
                }
            }
        }

        try
        {
            await WaitDeletes.RunAsync(applier, waits, prefix, rev - 1, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Resign(key, rev); // Go cleans up a cancelled campaign.
            throw;
        }

        return new CampaignResponse
        {
            Header = txn.Header,
            Leader = new LeaderKey { Name = request.Name, Key = key, Rev = rev, Lease = lease },
        };
    }

    public ProclaimResponse Proclaim(ProclaimRequest request)
    {
        var leader = request.Leader ?? throw ConcurrencyErrors.MissingLeaderKey();
        var lease = SessionLease.Resolve(applier, leader.Lease);
        return new ProclaimResponse { Header = Proclaim(leader.Key, leader.Rev, lease, request.Value) };
    }

    public ResignResponse Resign(ResignRequest request)
    {
        var leader = request.Leader ?? throw ConcurrencyErrors.MissingLeaderKey();
        SessionLease.Resolve(applier, leader.Lease);
        return new ResignResponse { Header = Resign(leader.Key, leader.Rev) };
    }

    public LeaderResponse Leader(LeaderRequest request)
    {
        var first = applier.Range(ConcurrencyKeys.FirstCreated(ConcurrencyKeys.Prefix(request.Name)));
        return first.Kvs.Count == 0
            ? throw ConcurrencyErrors.NoLeader()
            : new LeaderResponse { Header = first.Header, Kv = first.Kvs[0] };
    }

    private ResponseHeader Proclaim(ByteString key, long rev, long lease, ByteString value)
    {
        var txn = applier.Txn(new TxnRequest
        {
            Compare = { ConcurrencyKeys.CreateRevisionIs(key, rev) },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = key, Value = value, Lease = lease } } },
        });
        return txn.Succeeded ? txn.Header : throw ConcurrencyErrors.NotLeader();
    }

    /// <summary>Deletes the leader key if it is still this leader's; otherwise nothing happens, silently.</summary>
    private ResponseHeader Resign(ByteString key, long rev) => applier.Txn(new TxnRequest
    {
        Compare = { ConcurrencyKeys.CreateRevisionIs(key, rev) },
        Success = { new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = key } } },
    }).Header;
}

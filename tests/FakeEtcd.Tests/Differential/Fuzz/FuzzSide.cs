using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace FakeEtcd.Tests.Differential.Fuzz;

/// <summary>
/// One server of a fuzz pair: its clients, its Watch and KeepAlive streams, its own lease IDs for the
/// placeholders, and the mask that turns its answers into comparable text.
/// </summary>
internal sealed class FuzzSide : IAsyncDisposable
{
    private static readonly TimeSpan CallBudget = TimeSpan.FromSeconds(30);

    private readonly CancellationToken _cancellationToken;
    private readonly List<long> _autoLeases = [];
    private AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse>? _keepAlive;

    public FuzzSide(IEtcdEndpoint endpoint, CancellationToken cancellationToken)
    {
        Endpoint = endpoint;
        _cancellationToken = cancellationToken;
        Clients = new EtcdClients(endpoint, cancellationToken);
        Watch = new WatchLog(Clients, cancellationToken);
    }

    public IEtcdEndpoint Endpoint { get; }

    public EtcdClients Clients { get; }

    public WatchLog Watch { get; }

    public ResponseMask Mask { get; } = new(maskLeaseIds: true);

    /// <summary>Header revision of the last successful answer.</summary>
    public long LastRevision { get; private set; } = 1;

    /// <summary>Sends one request and returns the masked, canonical text of the answer (or error).</summary>
    public Task<string> ExecuteAsync(FuzzOp op) => op.Kind switch
    {
        FuzzOpKind.Range => Call(Clients.Kv.RangeAsync(Resolve((RangeRequest)op.Request), cancellationToken: _cancellationToken).ResponseAsync),
        FuzzOpKind.Put => Call(Clients.Kv.PutAsync(Resolve((PutRequest)op.Request)).ResponseAsync),
        FuzzOpKind.DeleteRange => Call(Clients.Kv.DeleteRangeAsync((DeleteRangeRequest)op.Request).ResponseAsync),
        FuzzOpKind.Txn => Call(Clients.Kv.TxnAsync(Resolve((TxnRequest)op.Request)).ResponseAsync),
        FuzzOpKind.Compact => Call(Clients.Kv.CompactAsync((CompactionRequest)op.Request).ResponseAsync),
        FuzzOpKind.LeaseGrant => GrantAsync((LeaseGrantRequest)op.Request),
        FuzzOpKind.LeaseRevoke => Call(Clients.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = Lease(((LeaseRevokeRequest)op.Request).ID) }).ResponseAsync),
        FuzzOpKind.LeaseTimeToLive => Call(TimeToLiveAsync((LeaseTimeToLiveRequest)op.Request), Canonical),
        FuzzOpKind.LeaseLeases => Call(Clients.Lease.LeaseLeasesAsync(new LeaseLeasesRequest()).ResponseAsync, Canonical),
        FuzzOpKind.LeaseKeepAlive => Call(KeepAliveAsync(((LeaseKeepAliveRequest)op.Request).ID)),
        _ => throw new ArgumentException($"{op.Kind} is not a unary call", nameof(op)),
    };

    private async Task<string> GrantAsync(LeaseGrantRequest request)
    {
        var text = await Call(Clients.Lease.LeaseGrantAsync(request).ResponseAsync, observe: response =>
        {
            if (request.ID == 0)
            {
                _autoLeases.Add(response.ID);
            }
        });
        if (request.ID == 0 && text.StartsWith("ERROR", StringComparison.Ordinal))
        {
            // A failed grant still takes its placeholder, which then names no lease.
            _autoLeases.Add(NoLease(_autoLeases.Count));
        }

        return text;
    }

    private async Task<LeaseTimeToLiveResponse> TimeToLiveAsync(LeaseTimeToLiveRequest request)
    {
        var resolved = request.Clone();
        resolved.ID = Lease(request.ID);
        return await Clients.Lease.LeaseTimeToLiveAsync(resolved);
    }

    private async Task<LeaseKeepAliveResponse> KeepAliveAsync(long id)
    {
        _keepAlive ??= Clients.Lease.LeaseKeepAlive(cancellationToken: _cancellationToken);
        await _keepAlive.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = Lease(id) });
        if (!await _keepAlive.ResponseStream.MoveNext(_cancellationToken))
        {
            throw new RpcException(new Status(StatusCode.Internal, "keepalive stream ended"));
        }

        return _keepAlive.ResponseStream.Current;
    }

    private async Task<string> Call<T>(Task<T> call, Func<T, T>? canonical = null, Action<T>? observe = null)
        where T : class, IMessage<T>
    {
        try
        {
            var response = await call.WaitAsync(CallBudget, TimeProvider.System, _cancellationToken);
            observe?.Invoke(response);
            if (response.Descriptor.FindFieldByName("header")?.Accessor.GetValue(response) is ResponseHeader header && header.Revision > 0)
            {
                LastRevision = header.Revision;
            }

            var masked = Mask.Apply(response);
            return ProtoText.Format(canonical is null ? masked : canonical(masked));
        }
        catch (RpcException e)
        {
            return $"ERROR {e.StatusCode} \"{e.Status.Detail}\"";
        }
    }

    /// <summary>Remaining TTL counts wall time on etcd and virtual time on FakeEtcd: only its sign is compared. etcd lists keys in map order.</summary>
    private static LeaseTimeToLiveResponse Canonical(LeaseTimeToLiveResponse response)
    {
        response.TTL = Math.Sign(response.TTL);
        var keys = response.Keys.OrderBy(k => k, ByteStringOrder.Instance).ToList();
        response.Keys.Clear();
        response.Keys.AddRange(keys);
        return response;
    }

    /// <summary>etcd lists leases in map order; masked IDs are ordinals of first appearance, so sort by them.</summary>
    private static LeaseLeasesResponse Canonical(LeaseLeasesResponse response)
    {
        var leases = response.Leases.OrderBy(l => l.ID).ToList();
        response.Leases.Clear();
        response.Leases.AddRange(leases);
        return response;
    }

    private long Lease(long id)
    {
        if (!LeasePlaceholders.TryOrdinal(id, out var ordinal))
        {
            return id;
        }

        return ordinal < _autoLeases.Count ? _autoLeases[ordinal] : NoLease(ordinal);
    }

    /// <summary>
    /// What a placeholder without a granted lease (a failed grant, or one the shrinker removed) becomes: a
    /// negative ID, so LESS/GREATER lease compares against it agree on both servers (real IDs are positive,
    /// but their high bits come from each server's member ID, so a large stand-in would order differently).
    /// </summary>
    private static long NoLease(int ordinal) => -1000 - ordinal;

    private RangeRequest Resolve(RangeRequest request) => request;

    private PutRequest Resolve(PutRequest request)
    {
        if (!LeasePlaceholders.TryOrdinal(request.Lease, out _))
        {
            return request;
        }

        var copy = request.Clone();
        copy.Lease = Lease(request.Lease);
        return copy;
    }

    private TxnRequest Resolve(TxnRequest request)
    {
        var copy = request.Clone();
        ResolveInPlace(copy);
        return copy;
    }

    private void ResolveInPlace(TxnRequest txn)
    {
        foreach (var compare in txn.Compare.Where(c => c.TargetUnionCase == Compare.TargetUnionOneofCase.Lease))
        {
            compare.Lease = Lease(compare.Lease);
        }

        foreach (var op in txn.Success.Concat(txn.Failure))
        {
            if (op.RequestPut is { } put)
            {
                put.Lease = Lease(put.Lease);
            }
            else if (op.RequestTxn is { } nested)
            {
                ResolveInPlace(nested);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _keepAlive?.Dispose();
        await Watch.DisposeAsync();
        Clients.Dispose();
        await Endpoint.DisposeAsync();
    }
}

/// <summary>Unsigned lexicographic byte order, etcd's key order.</summary>
internal sealed class ByteStringOrder : IComparer<ByteString>
{
    public static ByteStringOrder Instance { get; } = new();

    public int Compare(ByteString? x, ByteString? y) => (x ?? ByteString.Empty).Span.SequenceCompareTo((y ?? ByteString.Empty).Span);
}

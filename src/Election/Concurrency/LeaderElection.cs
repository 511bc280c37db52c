using System.Runtime.CompilerServices;
using Election.Etcd;
using EtcdProtocol.Etcdserverpb;
using EtcdProtocol.Mvccpb;
using Google.Protobuf;
using Grpc.Core;

namespace Election;

/// <summary>
/// An election on a key prefix, compatible with Go's <c>concurrency.Election</c> and <c>etcdctl elect</c>:
/// each candidate puts <c>&lt;prefix&gt;/&lt;lease hex&gt;</c> on its session lease, the lowest
/// create revision leads, and each candidate waits only for the DELETE of its predecessor.
/// </summary>
public sealed class LeaderElection
{
    private readonly Session _session;
    private readonly string _prefix;
    private string _leaderKey = string.Empty;
    private long _leaderRevision;
    private bool _isCandidate;

    /// <summary>Creates an election on <paramref name="name"/> (keys live under <c>name + "/"</c>, as in Go).</summary>
    public LeaderElection(Session session, string name)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(name);
        _session = session;
        _prefix = name + "/";
    }

    /// <summary>Our candidate key when elected, else empty.</summary>
    public string Key => _leaderKey;

    /// <summary>Our key's create revision when elected: the fencing token for <c>If(CreateRevision(Key) == Revision)</c>.</summary>
    public long Revision => _leaderRevision;

    /// <summary>The revision of the last successful campaign or proclamation.</summary>
    public long HeaderRevision { get; private set; }

    /// <summary>
    /// Joins the election with <paramref name="value"/> and returns once this session leads. Cancelling
    /// resigns. A compacted wait is an <see cref="ElectionException"/>, as in Go.
    /// </summary>
    public async Task CampaignAsync(string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        var etcd = _session.Etcd;
        var key = Keys.LeaseKey(_prefix, _session.LeaseId);
        var bytes = ByteString.CopyFromUtf8(value);
        var response = await etcd.Kv.TxnAsync(
            new TxnRequest
            {
                Compare = { Keys.CreateRevisionIs(key, 0) },
                Success = { Keys.Put(key, bytes, _session.LeaseId) },
                Failure = { Keys.Get(key) },
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        (_leaderKey, _leaderRevision, _isCandidate) = (key, response.Header.Revision, true);
        if (!response.Succeeded)
        {
            var existing = response.Responses[0].ResponseRange.Kvs[0];
            _leaderRevision = existing.CreateRevision;
            if (existing.Value != bytes)
            {
                try
                {
                    await ProclaimAsync(value, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    await ResignAsync(CancellationToken.None).ConfigureAwait(false);
                    throw;
                }
            }
        }

        try
        {
            await WaitDeletes.UntilAsync(etcd, _prefix, _leaderRevision - 1, _session.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            await ResignAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch
        {
            _isCandidate = false;
            throw;
        }

        HeaderRevision = response.Header.Revision;
    }

    /// <summary>Announces a new value without a new election; <see cref="ElectionException"/> "election: not leader" if our key is gone.</summary>
    public async Task ProclaimAsync(string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!_isCandidate)
        {
            throw new ElectionException(ElectionException.NotLeaderMessage);
        }

        var response = await _session.Etcd.Kv.TxnAsync(
            new TxnRequest
            {
                Compare = { Keys.CreateRevisionIs(_leaderKey, _leaderRevision) },
                Success = { Keys.Put(_leaderKey, ByteString.CopyFromUtf8(value), _session.LeaseId) },
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            _leaderKey = string.Empty;
            throw new ElectionException(ElectionException.NotLeaderMessage);
        }

        HeaderRevision = response.Header.Revision;
    }

    /// <summary>Gives up leadership (or candidacy) by deleting our key if it is still the one we created; keeps the session.</summary>
    public async Task ResignAsync(CancellationToken cancellationToken = default)
    {
        if (!_isCandidate)
        {
            return;
        }

        try
        {
            var response = await _session.Etcd.Kv.TxnAsync(
                new TxnRequest
                {
                    Compare = { Keys.CreateRevisionIs(_leaderKey, _leaderRevision) },
                    Success = { Keys.Delete(_leaderKey) },
                },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            HeaderRevision = response.Header.Revision;
        }
        finally
        {
            (_leaderKey, _isCandidate) = (string.Empty, false);
        }
    }

    /// <summary>The current leader; <see cref="ElectionException"/> "election: no leader" when nobody campaigns.</summary>
    public async Task<LeaderKey> LeaderAsync(CancellationToken cancellationToken = default)
    {
        var response = await _session.Etcd.Kv.RangeAsync(Keys.FirstCreated(_prefix), cancellationToken: cancellationToken).ConfigureAwait(false);
        return Keys.Single(response) is { } kv
            ? LeaderKey.From(kv, response.Header.Revision)
            : throw new ElectionException(ElectionException.NoLeaderMessage);
    }

    /// <summary>
    /// Every leader value from now on, in order (Go's <c>Observe</c>): the current leader (or the first
    /// one to appear), its proclamations, and after its DELETE the next leader. Ends when cancelled or
    /// when a watch is disrupted.
    /// </summary>
    /// <remarks>
    /// Disposing the enumerator stops the observation even while a <c>MoveNextAsync</c> is pending (the
    /// way a consumer on another task stops observing): the pending call completes with
    /// <see langword="false"/>, and the disposal returns once the observation's calls have ended.
    /// </remarks>
    public IAsyncEnumerable<LeaderKey> ObserveAsync(CancellationToken cancellationToken = default) =>
        new LeaderObservation(ObserveCoreAsync, cancellationToken);

    private async IAsyncEnumerable<LeaderKey> ObserveCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var etcd = _session.Etcd;
        while (!cancellationToken.IsCancellationRequested)
        {
            var current = await TryAsync(() => etcd.Kv.RangeAsync(Keys.FirstCreated(_prefix), cancellationToken: cancellationToken).ResponseAsync)
                .ConfigureAwait(false);
            if (current is null)
            {
                yield break;
            }

            LeaderKey? leader = Keys.Single(current) is { } kv ? LeaderKey.From(kv, current.Header.Revision) : null;
            if (leader is null)
            {
                leader = await FirstPutAsync(etcd, current.Header.Revision, cancellationToken).ConfigureAwait(false);
                if (leader is null)
                {
                    yield break;
                }
            }

            yield return leader;
            using var watch = await TryAsync(() => WatchCall.StartAsync(etcd, leader.Key, leader.Revision + 1, cancellationToken))
                .ConfigureAwait(false);
            if (watch is null)
            {
                yield break;
            }

            var deleted = false;
            while (!deleted)
            {
                var response = await TryAsync<WatchResponse>(async () => (await watch.NextAsync().ConfigureAwait(false))!).ConfigureAwait(false);
                if (response is null || response.Canceled)
                {
                    yield break;
                }

                foreach (var ev in response.Events)
                {
                    if (ev.Type == Event.Types.EventType.Delete)
                    {
                        deleted = true;
                        break;
                    }

                    yield return LeaderKey.From(ev.Kv, response.Header.Revision);
                }
            }
        }
    }

    /// <summary>With no leader: the first PUT under the prefix from <paramref name="revision"/> on (a DELETE would make Observe spin).</summary>
    private async Task<LeaderKey?> FirstPutAsync(EtcdApi etcd, long revision, CancellationToken cancellationToken)
    {
        var create = new WatchCreateRequest { Key = Keys.Bytes(_prefix), RangeEnd = Keys.PrefixEnd(_prefix), StartRevision = revision };
        using var watch = await TryAsync(() => WatchCall.StartAsync(etcd, create, cancellationToken)).ConfigureAwait(false);
        while (watch is not null && await TryAsync<WatchResponse>(async () => (await watch.NextAsync().ConfigureAwait(false))!).ConfigureAwait(false) is { Canceled: false } response)
        {
            if (response.Events.FirstOrDefault(e => e.Type == Event.Types.EventType.Put) is { } put)
            {
                // Go sets the header revision to the PUT's revision when a batch holds several.
                return LeaderKey.From(put.Kv, put.Kv.ModRevision);
            }
        }

        return null;
    }

    /// <summary>Observe ends quietly on errors and cancellation, as Go's closes its channel.</summary>
    private static async Task<T?> TryAsync<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException)
        {
            return null;
        }
    }
}

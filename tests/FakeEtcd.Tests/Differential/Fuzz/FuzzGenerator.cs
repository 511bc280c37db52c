using Etcdserverpb;
using Google.Protobuf;
using CompareResult = Etcdserverpb.Compare.Types.CompareResult;
using CompareTarget = Etcdserverpb.Compare.Types.CompareTarget;
using FilterType = Etcdserverpb.WatchCreateRequest.Types.FilterType;
using SortOrder = Etcdserverpb.RangeRequest.Types.SortOrder;
using SortTarget = Etcdserverpb.RangeRequest.Types.SortTarget;

namespace FakeEtcd.Tests.Differential.Fuzz;

/// <summary>
/// Seeded, weighted generator of KV / Txn / Compact / Lease / Watch steps over a small key space, so
/// keys collide, ranges overlap and historical revisions exist. Each step is drawn from the state the
/// reference reported after the previous one, so revisions in requests are realistic.
/// </summary>
public sealed class FuzzGenerator(int seed)
{
    // Twelve keys at most: etcd sorts with Go's sort.Sort, which is an (stable) insertion sort up to 12
    // elements and unstable above, so a sorted range with ties is deterministic only up to 12 keys.
    private static readonly ByteString[] Keys =
    [
        B("a"), B("b"), B("c"), B("k"), B("k/1"), B("k/2"), B("k/a"), B("k0"), B("z"), B("z/1"),
        ByteString.CopyFrom(0, (byte)'x'), ByteString.CopyFrom(0xff),
    ];

    private static readonly string[] Values = ["", "v", "w", "x1", "x2", "same", "0"];

    private const int MaxWatchers = 6;

    private readonly Random _random = new(seed);
    private FuzzOp? _afterBarrier;

    private static ByteString B(string s) => ByteString.CopyFromUtf8(s);

    /// <summary>The next step for a store in <paramref name="state"/>.</summary>
    public FuzzOp Next(FuzzState state)
    {
        if (_afterBarrier is { } queued)
        {
            _afterBarrier = null;
            return queued;
        }

        var roll = _random.Next(1000);
        return roll switch
        {
            < 250 => new(FuzzOpKind.Put, Put(state)),
            < 430 => new(FuzzOpKind.Range, Range(state)),
            < 510 => new(FuzzOpKind.DeleteRange, Delete()),
            < 700 => new(FuzzOpKind.Txn, WithoutEtcdPanic(Txn(state, depth: 0))),
            < 725 => AfterBarrier(state, new(FuzzOpKind.Compact, Compact(state))),
            < 775 => new(FuzzOpKind.LeaseGrant, Grant()),
            < 810 => new(FuzzOpKind.LeaseRevoke, new LeaseRevokeRequest { ID = LeaseRef(state, attachChance: 100) }),
            < 830 => new(FuzzOpKind.LeaseTimeToLive, new LeaseTimeToLiveRequest { ID = LeaseRef(state, 100), Keys = Chance(50) }),
            < 840 => new(FuzzOpKind.LeaseLeases, new LeaseLeasesRequest()),
            < 860 => new(FuzzOpKind.LeaseKeepAlive, new LeaseKeepAliveRequest { ID = LeaseRef(state, 100) }),
            < 960 when state.WatchCreates < MaxWatchers => new(FuzzOpKind.WatchCreate, Watch(state)),
            < 975 when state.WatchCreates > 0 => AfterBarrier(
                state,
                new(FuzzOpKind.WatchCancel, new WatchCancelRequest { WatchId = _random.Next(-1, state.WatchCreates + 1) })),
            _ => new(FuzzOpKind.Put, Put(state)),
        };
    }

    /// <summary>
    /// Compactions and cancels race etcd's watch send loop (prev_kv is read at send time; events queued
    /// for a canceled id are dropped), so with watchers open they come right after a barrier.
    /// </summary>
    private FuzzOp AfterBarrier(FuzzState state, FuzzOp op)
    {
        if (state.OpenWatchers == 0)
        {
            return op;
        }

        _afterBarrier = op;
        return FuzzOp.Barrier();
    }

    private bool Chance(int percent) => _random.Next(100) < percent;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private ByteString Key() => Pick(Keys);

    private ByteString Value()
    {
        if (Chance(3))
        {
            return ByteString.CopyFrom(new byte[_random.Next(100, 4000)]);
        }

        return B(Pick(Values));
    }

    /// <summary>A key and range end: none, its prefix, "from key", all, or another key (maybe below).</summary>
    private (ByteString Key, ByteString End) KeyRange()
    {
        var key = Key();
        var roll = _random.Next(100);
        return roll switch
        {
            < 45 => (key, ByteString.Empty),
            < 65 => (key, Prefix(key)),
            < 75 => (key, ByteString.CopyFrom(0)),
            < 82 => (ByteString.CopyFrom(0), ByteString.CopyFrom(0)),
            < 85 => (key, ByteString.CopyFrom(0xff, 0xff, 0xff)),
            _ => (key, Key()),
        };
    }

    private static ByteString Prefix(ByteString key)
    {
        var bytes = key.ToByteArray();
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xff)
            {
                bytes[i]++;
                return ByteString.CopyFrom(bytes, 0, i + 1);
            }
        }

        return ByteString.CopyFrom(0);
    }

    /// <summary>A revision around the readable window: current (0), historical, compacted, future or negative.</summary>
    private long Revision(FuzzState state)
    {
        var roll = _random.Next(100);
        var low = Math.Max(1, state.CompactRevision);
        return roll switch
        {
            < 55 => 0,
            < 85 => _random.NextInt64(low, state.CurrentRevision + 1),
            < 92 when state.CompactRevision > 1 => _random.NextInt64(1, state.CompactRevision),
            < 97 => state.CurrentRevision + _random.Next(1, 3),
            _ => -_random.Next(1, 3),
        };
    }

    private long LeaseRef(FuzzState state, int attachChance)
    {
        if (!Chance(attachChance))
        {
            return 0;
        }

        var roll = _random.Next(100);
        if (roll < 70 && state.AutoLeaseCount > 0)
        {
            return FuzzOp.LeasePlaceholder(_random.Next(state.AutoLeaseCount));
        }

        if (roll < 92 && state.ExplicitLeaseIds.Count > 0)
        {
            return Pick(state.ExplicitLeaseIds);
        }

        return roll < 97 ? _random.Next(1, 20) : -_random.Next(1, 3);
    }

    private PutRequest Put(FuzzState state)
    {
        var put = new PutRequest { Key = Key(), Value = Value(), Lease = LeaseRef(state, 20), PrevKv = Chance(30) };
        if (Chance(6))
        {
            put.IgnoreValue = true;
            put.Value = Chance(85) ? ByteString.Empty : put.Value;
        }

        if (Chance(6))
        {
            put.IgnoreLease = true;
            put.Lease = Chance(85) ? 0 : put.Lease;
        }

        return put;
    }

    /// <summary>
    /// etcd 3.4 checks ignore_value / ignore_lease against the store before the txn, then panics
    /// ("unexpected error during txn") when an earlier delete in the same txn removed the key: the
    /// process dies. A crash cannot be compared, so txns with a delete never carry those flags
    /// (FakeEtcd answers "key not found" and changes nothing; see FuzzRegressionTests).
    /// </summary>
    private static TxnRequest WithoutEtcdPanic(TxnRequest txn)
    {
        if (HasDelete(txn))
        {
            ClearIgnoreFlags(txn);
        }

        return txn;
    }

    private static bool HasDelete(TxnRequest txn) =>
        txn.Success.Concat(txn.Failure).Any(op => op.RequestDeleteRange is not null || (op.RequestTxn is { } nested && HasDelete(nested)));

    private static void ClearIgnoreFlags(TxnRequest txn)
    {
        foreach (var op in txn.Success.Concat(txn.Failure))
        {
            if (op.RequestPut is { } put)
            {
                put.IgnoreValue = false;
                put.IgnoreLease = false;
            }
            else if (op.RequestTxn is { } nested)
            {
                ClearIgnoreFlags(nested);
            }
        }
    }

    private RangeRequest Range(FuzzState state)
    {
        var (key, end) = KeyRange();
        var range = new RangeRequest { Key = key, RangeEnd = end, Revision = Revision(state) };
        if (Chance(30))
        {
            range.Limit = _random.Next(-1, 5);
        }

        if (Chance(30))
        {
            range.SortOrder = (SortOrder)_random.Next(3);
            range.SortTarget = (SortTarget)_random.Next(5);
        }

        range.KeysOnly = Chance(10);
        range.CountOnly = Chance(10);
        range.Serializable = Chance(10);
        if (Chance(15))
        {
            var top = state.CurrentRevision + 1;
            switch (_random.Next(4))
            {
                case 0: range.MinModRevision = _random.NextInt64(0, top); break;
                case 1: range.MaxModRevision = _random.NextInt64(0, top); break;
                case 2: range.MinCreateRevision = _random.NextInt64(0, top); break;
                default: range.MaxCreateRevision = _random.NextInt64(0, top); break;
            }
        }

        return range;
    }

    private DeleteRangeRequest Delete()
    {
        var (key, end) = Chance(70) ? (Key(), ByteString.Empty) : KeyRange();
        return new DeleteRangeRequest { Key = key, RangeEnd = end, PrevKv = Chance(40) };
    }

    private TxnRequest Txn(FuzzState state, int depth)
    {
        var txn = new TxnRequest();
        var compares = _random.Next(depth == 0 ? 4 : 3);
        for (var i = 0; i < compares; i++)
        {
            txn.Compare.Add(Compare(state));
        }

        AddOps(txn.Success, state, depth);
        AddOps(txn.Failure, state, depth);
        return txn;
    }

    private void AddOps(Google.Protobuf.Collections.RepeatedField<RequestOp> ops, FuzzState state, int depth)
    {
        var count = _random.Next(depth == 0 ? 5 : 3);
        var usedKeys = new HashSet<ByteString>();
        for (var i = 0; i < count; i++)
        {
            var roll = _random.Next(100);
            if (roll < 45)
            {
                var put = Put(state);
                // Mostly distinct keys per branch, so most txns pass the duplicate-key check.
                if (!usedKeys.Add(put.Key) && Chance(80))
                {
                    continue;
                }

                ops.Add(new RequestOp { RequestPut = put });
            }
            else if (roll < 75)
            {
                ops.Add(new RequestOp { RequestRange = Range(state) });
            }
            else if (roll < 90)
            {
                var delete = Delete();
                if (!usedKeys.Add(delete.Key) && Chance(80))
                {
                    continue;
                }

                ops.Add(new RequestOp { RequestDeleteRange = delete });
            }
            else if (depth < 2)
            {
                ops.Add(new RequestOp { RequestTxn = Txn(state, depth + 1) });
            }
        }
    }

    private Compare Compare(FuzzState state)
    {
        var compare = new Compare
        {
            Key = Key(),
            Result = (CompareResult)_random.Next(4),
            Target = (CompareTarget)_random.Next(5),
        };
        switch (compare.Target)
        {
            case CompareTarget.Version: compare.Version = _random.Next(0, 4); break;
            case CompareTarget.Create: compare.CreateRevision = _random.NextInt64(0, state.CurrentRevision + 2); break;
            case CompareTarget.Mod: compare.ModRevision = _random.NextInt64(0, state.CurrentRevision + 2); break;
            case CompareTarget.Value: compare.Value = B(Pick(Values)); break;
            default: compare.Lease = LeaseRef(state, 70); break;
        }

        if (Chance(15))
        {
            compare.RangeEnd = Chance(50) ? Prefix(compare.Key) : ByteString.CopyFrom(0);
        }

        return compare;
    }

    private CompactionRequest Compact(FuzzState state)
    {
        var roll = _random.Next(100);
        var revision = roll switch
        {
            < 80 => _random.NextInt64(Math.Max(0, state.CompactRevision), state.CurrentRevision + 1),
            < 90 => state.CompactRevision,
            < 95 => state.CurrentRevision + 1,
            _ => -1,
        };
        return new CompactionRequest { Revision = revision, Physical = Chance(30) };
    }

    private LeaseGrantRequest Grant()
    {
        // Long TTLs: etcd expires leases on the wall clock, FakeEtcd on its virtual one; neither may expire in a run.
        var ttl = Chance(3) ? 9_000_000_001 : _random.Next(600, 100_000);
        return new LeaseGrantRequest { TTL = ttl, ID = Chance(25) ? _random.Next(1, 12) : 0 };
    }

    private WatchCreateRequest Watch(FuzzState state)
    {
        var (key, end) = KeyRange();
        var roll = _random.Next(100);
        var start = roll switch
        {
            < 50 => 0,
            < 85 => _random.NextInt64(Math.Max(1, state.CompactRevision), state.CurrentRevision + 1),
            < 92 => state.CurrentRevision + 1,
            _ when state.CompactRevision > 1 => _random.NextInt64(1, state.CompactRevision),
            _ => 0,
        };
        var create = new WatchCreateRequest { Key = key, RangeEnd = end, StartRevision = start, PrevKv = Chance(40) };
        if (Chance(15))
        {
            create.Filters.Add(FilterType.Noput);
        }

        if (Chance(15))
        {
            create.Filters.Add(FilterType.Nodelete);
        }

        if (create.Filters.Count == 2)
        {
            // Such a watcher sees no event, so a barrier cannot tell when etcd's 100 ms sync loop has caught
            // it up; with history it could still be behind at a later compaction and be canceled, or not.
            // Start 0 makes it synced at creation.
            create.StartRevision = 0;
        }

        return create;
    }
}

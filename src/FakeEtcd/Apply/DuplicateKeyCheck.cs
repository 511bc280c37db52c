using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Errors;
using Google.Protobuf;

namespace FakeEtcd.Apply;

/// <summary>
/// etcd's checkIntervals: within one op list (and the txns nested in it) a key may be put once and
/// may not be put inside a deleted range. Mirrors etcd's interval arithmetic exactly, including its
/// "affine" intervals where an empty end means +∞, so odd cases (a delete whose range_end is "\0"
/// forms an empty interval and conflicts with nothing) behave as on etcd.
/// </summary>
internal static class DuplicateKeyCheck
{
    private static readonly AffineInterval Everything = new(ByteString.CopyFrom(0), ByteString.Empty);

    public static void Check(IList<RequestOp> ops) => Collect(ops);

    private static (HashSet<ByteString> Puts, List<AffineInterval> Deletes) Collect(IList<RequestOp> ops)
    {
        var deletes = new List<AffineInterval>();
        foreach (var op in ops)
        {
            if (op.RequestCase == RequestOp.RequestOneofCase.RequestDeleteRange)
            {
                var delete = op.RequestDeleteRange;
                deletes.Add(delete.RangeEnd.IsEmpty
                    ? AffineInterval.Point(delete.Key)
                    : new AffineInterval(delete.Key, delete.RangeEnd));
            }
        }

        var puts = new HashSet<ByteString>();
        foreach (var op in ops)
        {
            if (op.RequestCase != RequestOp.RequestOneofCase.RequestTxn)
            {
                continue;
            }

            var (putsThen, deletesThen) = Collect(op.RequestTxn.Success);
            var (putsElse, deletesElse) = Collect(op.RequestTxn.Failure);
            foreach (var key in putsThen)
            {
                if (puts.Contains(key) || Intersects(deletes, key))
                {
                    throw EtcdErrors.DuplicateKey();
                }

                puts.Add(key);
            }

            foreach (var key in putsElse)
            {
                // The same key in both branches of one nested txn is fine: only one branch runs.
                if ((puts.Contains(key) && !putsThen.Contains(key)) || Intersects(deletes, key))
                {
                    throw EtcdErrors.DuplicateKey();
                }

                puts.Add(key);
            }

            // etcd unions only the nested intervals that overlap ["\0", +∞).
            deletes.AddRange(deletesThen.Where(Everything.Overlaps));
            deletes.AddRange(deletesElse.Where(Everything.Overlaps));
        }

        foreach (var op in ops)
        {
            if (op.RequestCase != RequestOp.RequestOneofCase.RequestPut)
            {
                continue;
            }

            var key = op.RequestPut.Key;
            if (puts.Contains(key) || Intersects(deletes, key))
            {
                throw EtcdErrors.DuplicateKey();
            }

            puts.Add(key);
        }

        return (puts, deletes);
    }

    private static bool Intersects(List<AffineInterval> deletes, ByteString key)
    {
        var point = AffineInterval.Point(key);
        return deletes.Exists(point.Overlaps);
    }

    /// <summary>etcd adt's StringAffineInterval: [Begin, End) where an empty bound is greater than every key.</summary>
    private readonly record struct AffineInterval(ByteString Begin, ByteString End)
    {
        public static AffineInterval Point(ByteString key)
        {
            var end = new byte[key.Length + 1];
            key.Span.CopyTo(end);
            return new AffineInterval(key, ByteString.CopyFrom(end));
        }

        /// <summary>adt's <c>Interval.Compare(other) == 0</c>, asymmetric as in etcd (this is the query).</summary>
        public bool Overlaps(AffineInterval other)
        {
            var leftOfOther = CompareAffine(Begin, other.Begin) < 0 && CompareAffine(End, other.Begin) <= 0;
            var rightOfOther = CompareAffine(Begin, other.End) >= 0;
            return !leftOfOther && !rightOfOther;
        }

        private static int CompareAffine(ByteString a, ByteString b)
        {
            if (a.IsEmpty)
            {
                return b.IsEmpty ? 0 : 1;
            }

            return b.IsEmpty ? -1 : a.Span.SequenceCompareTo(b.Span);
        }
    }
}

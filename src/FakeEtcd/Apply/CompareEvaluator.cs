using EtcdProtocol.Etcdserverpb;
using EtcdProtocol.Mvccpb;
using FakeEtcd.Mvcc;

namespace FakeEtcd.Apply;

/// <summary>
/// etcd's applyCompare/compareKV: every live key in the compare's range must satisfy it; a missing
/// key compares as an empty KeyValue, except that any VALUE compare against a missing key is false.
/// </summary>
internal static class CompareEvaluator
{
    private static readonly KeyValue Missing = new();

    public static bool All(IEnumerable<Compare> compares, MvccStore store) => compares.All(c => Holds(c, store));

    private static bool Holds(Compare compare, MvccStore store)
    {
        var kvs = store.Range(new KeyRange(compare.Key, compare.RangeEnd)).Kvs;
        if (kvs.Count == 0)
        {
            return compare.Target != Compare.Types.CompareTarget.Value && Matches(compare, Missing);
        }

        return kvs.TrueForAll(kv => Matches(compare, kv));
    }

    private static bool Matches(Compare compare, KeyValue kv)
    {
        // An unset target_union counts as 0 (or empty bytes), as in etcd.
        var result = compare.Target switch
        {
            Compare.Types.CompareTarget.Value => kv.Value.Span.SequenceCompareTo(
                compare.TargetUnionCase == Compare.TargetUnionOneofCase.Value ? compare.Value.Span : default),
            Compare.Types.CompareTarget.Create => kv.CreateRevision.CompareTo(
                compare.TargetUnionCase == Compare.TargetUnionOneofCase.CreateRevision ? compare.CreateRevision : 0),
            Compare.Types.CompareTarget.Mod => kv.ModRevision.CompareTo(
                compare.TargetUnionCase == Compare.TargetUnionOneofCase.ModRevision ? compare.ModRevision : 0),
            Compare.Types.CompareTarget.Version => kv.Version.CompareTo(
                compare.TargetUnionCase == Compare.TargetUnionOneofCase.Version ? compare.Version : 0),
            Compare.Types.CompareTarget.Lease => kv.Lease.CompareTo(
                compare.TargetUnionCase == Compare.TargetUnionOneofCase.Lease ? compare.Lease : 0),
            _ => 0,
        };

        return compare.Result switch
        {
            Compare.Types.CompareResult.Equal => result == 0,
            Compare.Types.CompareResult.NotEqual => result != 0,
            Compare.Types.CompareResult.Greater => result > 0,
            Compare.Types.CompareResult.Less => result < 0,
            _ => true,
        };
    }
}

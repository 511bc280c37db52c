using static FakeEtcd.Tests.Differential.Req;
using Order = Etcdserverpb.RangeRequest.Types.SortOrder;
using Target = Etcdserverpb.RangeRequest.Types.SortTarget;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// Every sort order × target, with and without a limit. The data has no ties on any target:
/// etcd's sort is not stable, so tied keys could legitimately come back in either order.
/// </summary>
public sealed class KvSortDiffTests : KvDifferentialTest
{
    [Fact]
    public async Task Every_order_and_target_with_and_without_limit()
    {
        // Key order, create order, mod order, version and value all disagree, and none tie.
        await Pair.Put("m", "3");   // create 2
        await Pair.Put("z", "1");   // create 3
        await Pair.Put("a", "5");   // create 4
        await Pair.Put("q", "2");   // create 5
        await Pair.Put("a", "4");   // a: version 2, mod 6
        await Pair.Put("q", "6");   // q: version 2, mod 7
        await Pair.Put("q", "7");   // q: version 3, mod 8
        await Pair.Put("z", "0");   // z: version 2, mod 9
        await Pair.Put("z", "9");   // z: version 3, mod 10
        await Pair.Put("z", "8");   // z: version 4, mod 11 -> versions m1 a2 q3 z4

        foreach (var target in Enum.GetValues<Target>())
        {
            foreach (var order in Enum.GetValues<Order>())
            {
                foreach (var limit in new long[] { 0, 1, 3 })
                {
                    var request = All();
                    request.SortTarget = target;
                    request.SortOrder = order;     // Target != KEY with order NONE means ASCEND.
                    request.Limit = limit;
                    await Pair.Range(request);
                }
            }
        }
    }

    [Fact]
    public async Task Sort_on_prefix_with_limit_finds_first_and_last_created()
    {
        // The lock/election recipe: prefix + sort CREATE + limit 1, with max_create_revision.
        await Pair.Put("lock/b", "");
        await Pair.Put("lock/a", "");
        await Pair.Put("lock/c", "");
        await Pair.Put("other", "");
        foreach (var order in new[] { Order.Ascend, Order.Descend })
        {
            var request = Range("lock/", "lock0");
            request.SortTarget = Target.Create;
            request.SortOrder = order;
            request.Limit = 1;
            await Pair.Range(request);
            request.MaxCreateRevision = 3;
            await Pair.Range(request);
        }
    }
}

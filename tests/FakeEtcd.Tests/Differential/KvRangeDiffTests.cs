using Etcdserverpb;
using static FakeEtcd.Tests.Differential.Req;

namespace FakeEtcd.Tests.Differential;

/// <summary>Range key/range_end forms, limit/more/count, keys_only and count_only.</summary>
public sealed class KvRangeDiffTests : KvDifferentialTest
{
    private async Task SeedAsync(params string[] keys)
    {
        foreach (var key in keys)
        {
            await Pair.Put(key, "v-" + key);
        }
    }

    [Fact]
    public async Task Range_end_forms()
    {
        await SeedAsync("fo", "foo", "foo/a", "foo/b", "fop", "fz", "\xff");
        await Pair.Range(Range("foo", "fop"));       // Prefix "foo".
        await Pair.Range(Range("foo/", "foo0"));     // Prefix "foo/".
        await Pair.Range(Range("foo", AllFrom));     // From key: every key >= "foo".
        await Pair.Range(All());                     // key "\0", end "\0": everything.
        await Pair.Range(Range("foo", "foo"));       // range_end == key: empty, not an error.
        await Pair.Range(Range("foo", "fa"));        // range_end < key: empty.
        await Pair.Range(Range("nothing", "nothinh"));
        await Pair.Range(Range("\0"));               // Single key "\0": absent.
        var serializable = Range("foo", "fop");
        serializable.Serializable = true;            // Single member: same answer.
        await Pair.Range(serializable);
    }

    [Fact]
    public async Task Limit_more_and_count()
    {
        await SeedAsync("a", "b", "c", "d", "e");
        foreach (var limit in new long[] { 0, 1, 2, 4, 5, 6, -1 })
        {
            var request = All();
            request.Limit = limit;
            await Pair.Range(request);
        }
    }

    [Fact]
    public async Task Keys_only_and_count_only()
    {
        await SeedAsync("a", "b", "c");
        var keysOnly = All();
        keysOnly.KeysOnly = true;
        await Pair.Range(keysOnly);

        var countOnly = All();
        countOnly.CountOnly = true;
        await Pair.Range(countOnly);

        var countOnlyLimited = countOnly.Clone();
        countOnlyLimited.Limit = 1;                 // count_only: no kvs, more=false even with a limit.
        await Pair.Range(countOnlyLimited);

        var both = keysOnly.Clone();
        both.CountOnly = true;
        both.Limit = 2;
        await Pair.Range(both);

        var keysOnlyLimited = keysOnly.Clone();
        keysOnlyLimited.Limit = 2;
        await Pair.Range(keysOnlyLimited);
    }

    [Fact]
    public async Task Revision_filters_apply_to_kvs_but_not_count()
    {
        // Revisions: a=2, b=3, c=4, then a=5 (create 2, mod 5), d=6.
        await SeedAsync("a", "b", "c", "a", "d");
        var filters = new Action<RangeRequest>[]
        {
            r => r.MinModRevision = 4,
            r => r.MaxModRevision = 4,
            r => r.MinCreateRevision = 3,
            r => r.MaxCreateRevision = 3,
            r => { r.MinModRevision = 3; r.MaxModRevision = 5; },
            r => { r.MinCreateRevision = 2; r.MaxModRevision = 4; },
            r => { r.MinModRevision = 3; r.Limit = 1; },       // more is computed after filtering.
            r => { r.MinModRevision = 3; r.Limit = 3; },
            r => { r.MaxCreateRevision = 4; r.Limit = 1; r.SortOrder = RangeRequest.Types.SortOrder.Descend; r.SortTarget = RangeRequest.Types.SortTarget.Create; },
            r => { r.MinModRevision = 100; },
            r => { r.MinModRevision = 4; r.CountOnly = true; },
        };
        foreach (var apply in filters)
        {
            var request = All();
            apply(request);
            await Pair.Range(request);
        }
    }
}

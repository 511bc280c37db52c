using static FakeEtcd.Tests.Differential.Req;

namespace FakeEtcd.Tests.Differential;

/// <summary>Put, Range and DeleteRange basics: revisions, versions, prev_kv.</summary>
public sealed class KvBasicsDiffTests : KvDifferentialTest
{
    [Fact]
    public async Task Put_and_range_track_revisions_and_versions()
    {
        await Pair.Range(Range("a"));                  // Empty fresh store: header revision 1.
        var first = await Pair.Put("a", "1");
        Assert.Equal(2, first.Reference.Ok.Header.Revision); // Pins "first write is revision 2" on real etcd.
        await Pair.Put("b", "2");
        await Pair.Range(Range("a"));
        await Pair.Put("a", "1");                      // Same value again: new revision, version 2.
        await Pair.Put("a", "1");
        await Pair.Range(Range("a"));
        await Pair.Range(All());
    }

    [Fact]
    public async Task Put_prev_kv_returns_previous_value_or_nothing()
    {
        await Pair.Put(Put("k", "v1", prevKv: true));  // No previous key: prev_kv unset.
        await Pair.Put(Put("k", "v2", prevKv: true));
        await Pair.Put(Put("k", "", prevKv: true));    // Empty value is allowed.
        await Pair.Range(Range("k"));
    }

    [Fact]
    public async Task Delete_missing_key_does_not_bump_revision()
    {
        await Pair.Put("a", "1");
        await Pair.Delete(Delete("missing"));
        await Pair.Delete(Delete("missing", prevKv: true));
        await Pair.Delete(Delete("x", "z"));
        await Pair.Range(Range("a"));
    }

    [Fact]
    public async Task Delete_range_with_prev_kv_returns_deleted_keys_in_order()
    {
        foreach (var key in new[] { "c", "a", "b", "d" })
        {
            await Pair.Put(key, "v" + key);
        }

        await Pair.Delete(Delete("a", "c", prevKv: true));   // [a, c): a and b in one revision.
        await Pair.Range(All());
        await Pair.Delete(Delete("c", AllFrom, prevKv: true)); // "\0": everything from c.
        await Pair.Range(All());
    }

    [Fact]
    public async Task Delete_then_recreate_resets_version_and_create_revision()
    {
        await Pair.Put("k", "1");
        await Pair.Put("k", "2");
        await Pair.Delete(Delete("k", prevKv: true));
        await Pair.Range(Range("k"));
        await Pair.Put(Put("k", "3", prevKv: true));
        await Pair.Range(Range("k"));
    }

    [Fact]
    public async Task Delete_prefix_and_everything()
    {
        foreach (var key in new[] { "p/1", "p/2", "p0", "q" })
        {
            await Pair.Put(key, key);
        }

        await Pair.Delete(Delete("p/", "p0"));  // Prefix p/ as clients encode it.
        await Pair.Range(All());
        await Pair.Delete(Delete(AllFrom, AllFrom, prevKv: true));
        await Pair.Range(All());
    }
}

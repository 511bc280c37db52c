using Etcdserverpb;
using Google.Protobuf;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// HashKV with etcd's algorithm: the same history gives etcd's hash at every revision, before and
/// after compactions, with etcd's errors for compacted and future revisions.
/// </summary>
public sealed class HashKvDiffTests : DifferentialTest
{
    [Fact]
    public async Task Hash_is_etcd_s_at_every_revision_of_a_mixed_history()
    {
        await HashesAt(0, 1);
        await Pair.Put("a", "1");
        await Pair.Put("b", "2");
        await Pair.Grant(id: 77);
        await Pair.Put(new PutRequest { Key = Bytes("leased"), Value = Bytes("v"), Lease = 77 });
        await Pair.Txn(new TxnRequest
        {
            Success =
            {
                new RequestOp { RequestPut = new PutRequest { Key = Bytes("c"), Value = Bytes("3") } },
                new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = Bytes("a") } },
                new RequestOp { RequestPut = new PutRequest { Key = Bytes("d"), Value = ByteString.Empty } },
            },
        });
        await Pair.Put("b", "22");
        await Pair.Delete(new DeleteRangeRequest { Key = Bytes("a"), RangeEnd = Bytes("z") });
        await Pair.Put("a", "again");
        await HashesAt(0, 9);
    }

    [Fact]
    public async Task Hash_follows_etcd_across_compactions_and_rejects_compacted_and_future_revisions()
    {
        await Pair.Put("a", "1");
        await Pair.Put("b", "1");
        await Pair.Put("a", "2");
        await Pair.Delete(new DeleteRangeRequest { Key = Bytes("b") });
        await Pair.Put("c", "1");
        await Pair.Put("a", "3");
        await Pair.Compact(4, physical: true);
        await HashesAt(5, 7);
        await Pair.Both(c => c.Maintenance.HashKVAsync(new HashKVRequest { Revision = 4 }).ResponseAsync);
        await Pair.Both(c => c.Maintenance.HashKVAsync(new HashKVRequest { Revision = 8 }).ResponseAsync);

        // Every key deleted after the compaction: a compaction at the asked revision would keep nothing,
        // so etcd hashes every compacted survivor too.
        await Pair.Delete(new DeleteRangeRequest { Key = Bytes("a"), RangeEnd = Bytes("z") });
        await HashesAt(5, 8);
        await Pair.Compact(8, physical: true);
        await HashesAt(9, 8);
    }

    /// <summary>HashKV at 0 and at each revision from <paramref name="from"/> to <paramref name="to"/>, all compared.</summary>
    private async Task HashesAt(long from, long to)
    {
        await Pair.Both(c => c.Maintenance.HashKVAsync(new HashKVRequest()).ResponseAsync);
        for (var revision = Math.Max(from, 1); revision <= to; revision++)
        {
            var asked = revision;
            await Pair.Both(c => c.Maintenance.HashKVAsync(new HashKVRequest { Revision = asked }).ResponseAsync);
        }
    }

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);
}

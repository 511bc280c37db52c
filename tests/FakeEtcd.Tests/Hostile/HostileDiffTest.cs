using FakeEtcd.Tests.Differential;
using Google.Protobuf;
using static FakeEtcd.Tests.Differential.Req;

namespace FakeEtcd.Tests.Hostile;

/// <summary>
/// Base for hostile-input tests against real etcd: a small seeded store (keys, history, a compaction,
/// a lease), and <see cref="Rejected"/>, which sends a request to both servers, compares the answers
/// and checks that neither server's observable state changed and that both still answer.
/// </summary>
public abstract class HostileDiffTest : DifferentialTest
{
    /// <summary>Lease 0x77 holds "leased"; revision 6 after seeding, compacted at 3.</summary>
    protected async Task SeedAsync()
    {
        await Pair.Grant(0x77, ttl: 3600);
        await Pair.Put("a", "1");                                   // 2
        await Pair.Put("a", "2");                                   // 3
        await Pair.Put("k/1", "x");                                 // 4
        await Pair.Put(Put("leased", "v", lease: 0x77));            // 5
        await Pair.Delete(Delete("k/1"));                           // 6
        await Pair.Compact(3);
    }

    /// <summary>Sends <paramref name="call"/> to both, compares, and asserts each server's state is unchanged.</summary>
    protected async Task<Outcomes<T>> Rejected<T>(Func<EtcdClients, Task<T>> call, string label)
        where T : class, IMessage<T>
    {
        var before = await Hashes();
        var outcomes = await Pair.Both(call, label);
        await AssertUnchanged(before, label);
        return outcomes;
    }

    protected async Task<(string Reference, string Candidate)> Hashes() =>
        (await StateHash.CaptureAsync(Pair.Reference), await StateHash.CaptureAsync(Pair.Candidate));

    protected async Task AssertUnchanged((string Reference, string Candidate) before, string label)
    {
        var after = await Hashes();
        Assert.True(before.Reference == after.Reference, $"etcd state changed by {label}:\n{before.Reference}\n---\n{after.Reference}");
        Assert.True(before.Candidate == after.Candidate, $"FakeEtcd state changed by {label}:\n{before.Candidate}\n---\n{after.Candidate}");
        await Pair.Range(Range("a"));                                // both still answer
    }

    protected static ByteString Bytes(int length, byte fill) => ByteString.CopyFrom(Enumerable.Repeat(fill, length).ToArray());
}

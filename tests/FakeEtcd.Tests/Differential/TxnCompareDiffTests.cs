using Etcdserverpb;
using static FakeEtcd.Tests.Differential.Req;
using Result = Etcdserverpb.Compare.Types.CompareResult;
using Target = Etcdserverpb.Compare.Types.CompareTarget;

namespace FakeEtcd.Tests.Differential;

/// <summary>Every compare target × result on present and missing keys, and over ranges.</summary>
public sealed class TxnCompareDiffTests : KvDifferentialTest
{
    private const long LeaseId = 0x7a;

    /// <summary>Setup: k = "m" at create 3, mod 4, version 2; "n" at 2.</summary>
    private async Task SeedAsync()
    {
        await Pair.Put("n", "x");                            // 2
        await Pair.Put("k", "a");                            // 3
        await Pair.Put("k", "m");                            // 4
    }

    private static Compare Make(string key, Target target, Result result, long number, string value)
    {
        var c = new Compare { Key = B(key), Target = target, Result = result };
        switch (target)
        {
            case Target.Version: c.Version = number; break;
            case Target.Create: c.CreateRevision = number; break;
            case Target.Mod: c.ModRevision = number; break;
            case Target.Value: c.Value = B(value); break;
            case Target.Lease: c.Lease = number; break;
        }

        return c;
    }

    [Fact]
    public async Task Every_target_and_result_on_present_and_missing_keys()
    {
        await SeedAsync();
        // Operands below, at and above each present value; for VALUE the same via strings.
        (Target Target, long[] Numbers, string[] Values)[] cases =
        [
            (Target.Version, [0, 1, 2, 3], []),
            (Target.Create, [0, 2, 3, 4], []),
            (Target.Mod, [0, 3, 4, 5], []),
            (Target.Lease, [-1, 0, 1], []),
            (Target.Value, [], ["", "a", "m", "z"]),
        ];
        foreach (var key in new[] { "k", "missing" })
        {
            foreach (var (target, numbers, values) in cases)
            {
                foreach (var result in Enum.GetValues<Result>())
                {
                    foreach (var (number, value) in numbers.Select(n => (n, "")).Concat(values.Select(v => (0L, v))))
                    {
                        var compare = Make(key, target, result, number, value);
                        await Pair.Txn(Txn([compare], [Op(Range(key))], [Op(Range("n"))]));
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Lease_target_on_a_leased_key()
    {
        // Needs the Lease service; the ID is chosen by the client so both sides agree on it.
        await Pair.Grant(LeaseId);
        await Pair.Put(Put("k", "v", lease: LeaseId));
        foreach (var result in Enum.GetValues<Result>())
        {
            foreach (var operand in new[] { 0, LeaseId - 1, LeaseId, LeaseId + 1 })
            {
                await Pair.Txn(Txn([Lease("k", result, operand)], [Op(Range("k"))]));
                await Pair.Txn(Txn([Lease("k", result, operand).Over("l")], [Op(Range("k"))]));
            }
        }
    }

    [Fact]
    public async Task Unset_target_union_compares_as_zero()
    {
        await SeedAsync();
        foreach (var target in Enum.GetValues<Target>())
        {
            foreach (var key in new[] { "k", "missing" })
            {
                var compare = new Compare { Key = B(key), Target = target, Result = Result.Equal };
                await Pair.Txn(Txn([compare], [Op(Range(key))]));
            }
        }
    }

    [Fact]
    public async Task Compare_with_range_end_requires_every_key_to_match()
    {
        await Pair.Put("r/a", "1");
        await Pair.Put("r/b", "1");
        await Pair.Put("r/c", "2");
        Compare[] compares =
        [
            Value("r/a", Result.Equal, "1").Over("r/c"),          // a, b both "1": true
            Value("r/a", Result.Equal, "1").Over("r0"),           // c is "2": false
            Value("r/", Result.NotEqual, "3").Over("r0"),
            Version("r/", Result.Equal, 1).Over("r0"),
            Create("r/", Result.Greater, 2).Over("r0"),           // r/a was created at 2: false
            Create("r/", Result.Greater, 1).Over("r0"),
            Mod("r/", Result.Less, 4).Over("r0"),
            Lease("r/", Result.Equal, 0).Over("r0"),
            Version("r/a", Result.Equal, 1).Over(AllFrom),
            Version("s", Result.Equal, 0).Over("t"),              // Empty range: zero KeyValue.
            Create("s", Result.Equal, 0).Over("t"),
            Value("s", Result.NotEqual, "x").Over("t"),           // Empty range VALUE: false.
            Version("r/c", Result.Equal, 1).Over("r/a"),          // range_end < key.
        ];
        foreach (var compare in compares)
        {
            await Pair.Txn(Txn([compare], [Op(Range("r/", "r0"))]));
        }
    }

    [Fact]
    public async Task Compares_are_anded_and_pick_the_branch()
    {
        await Pair.Put("a", "1");
        var ok = Version("a", Result.Equal, 1);
        var bad = Version("a", Result.Equal, 2);
        await Pair.Txn(Txn([ok, ok], [Op(Put("s", "1"))], [Op(Put("f", "1"))]));
        await Pair.Txn(Txn([ok, bad], [Op(Put("s", "2"))], [Op(Put("f", "2"))]));
        await Pair.Txn(Txn([], [Op(Put("s", "3"))], [Op(Put("f", "3"))]));  // No compares: success.
        await Pair.Txn(Txn([bad]));                                         // Empty branch.
        await Pair.Range(All());
    }
}

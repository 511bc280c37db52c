using System.Globalization;

namespace FakeEtcd.Tests.Differential.Fuzz;

/// <summary>
/// Seeded random differential testing against real etcd: a fixed seed set in CI (20 × 1000 steps),
/// and a long run sized by FUZZ_OPS / FUZZ_SEED. A divergence is shrunk and printed as a test.
/// </summary>
public sealed class FuzzTests
{
    private const int StepsPerSeed = 1000;

    public static TheoryData<int> CiSeeds() => [.. Enumerable.Range(1, 20)];

    [Theory]
    [MemberData(nameof(CiSeeds))]
    public async Task Fixed_seed_matches_etcd(int seed) => await RunSeedAsync(seed, StepsPerSeed);

    /// <summary>FUZZ_OPS=200000 [FUZZ_SEED=1000] runs seeds from FUZZ_SEED, 1000 steps each, until FUZZ_OPS steps ran.</summary>
    [Fact]
    public async Task Long_run_from_environment()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("FUZZ_OPS"), CultureInfo.InvariantCulture, out var total))
        {
            Assert.Skip("Set FUZZ_OPS (and optionally FUZZ_SEED) to run the long fuzz run.");
        }

        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 1000;
        var failures = new List<string>();
        var ran = 0;
        var elapsed = TimeSpan.Zero;
        for (; ran < total; seed++)
        {
            var result = await FuzzRunner.GenerateAsync(seed, Math.Min(StepsPerSeed, total - ran), TestContext.Current.CancellationToken);
            ran += result.Ops.Count;
            elapsed += result.Elapsed;
            if (result.Divergence is not null)
            {
                failures.Add(await DescribeAsync(seed, result));
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"long run: {ran} steps over seeds up to {seed - 1} in {elapsed.TotalSeconds:F0} s ({ran / elapsed.TotalSeconds:F0} steps/s), {failures.Count} diverging seeds");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    private static async Task RunSeedAsync(int seed, int steps)
    {
        var result = await FuzzRunner.GenerateAsync(seed, steps, TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"seed {seed}: {result.Ops.Count} steps in {result.Elapsed.TotalSeconds:F1} s ({result.Ops.Count / result.Elapsed.TotalSeconds:F0} steps/s)");
        if (result.Divergence is not null)
        {
            throw new Xunit.Sdk.XunitException(await DescribeAsync(seed, result));
        }
    }

    private static async Task<string> DescribeAsync(int seed, FuzzResult result)
    {
        var budget = TimeSpan.FromSeconds(
            int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SHRINK_SECONDS"), CultureInfo.InvariantCulture, out var seconds) ? seconds : 120);
        var (ops, divergence, replays) = await FuzzShrinker.ShrinkAsync(result, budget, TestContext.Current.CancellationToken);
        return $"seed {seed} diverged: {result.Divergence}\n\nshrunk to {ops.Count} steps in {replays} replays:\n{divergence}\n\n" +
            ReproPrinter.Print($"Fuzz_seed_{seed}", ops, divergence);
    }
}

namespace Election.Tests.Simulation;

/// <summary>Issue 7.3: the same seed replays the same run, byte for byte.</summary>
public sealed class DeterminismTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(123)]
    [InlineData(2024)]
    public async Task Same_seed_gives_a_byte_identical_history(int seed)
    {
        var first = await ActiveStandbyScenario.RunAsync(seed, cancellationToken: TestContext.Current.CancellationToken);
        var second = await ActiveStandbyScenario.RunAsync(seed, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(first.Schedule.ToJson(), second.Schedule.ToJson());
        if (first.HistoryText != second.HistoryText)
        {
            var a = first.HistoryText.Split('\n');
            var b = second.HistoryText.Split('\n');
            var at = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i]);
            Assert.Fail($"histories differ from line {at}:\nfirst:  {a[at]}\nsecond: {b[at]}\nfirst run:\n{first.Report()}\nsecond run:\n{second.Report()}");
        }
    }
}

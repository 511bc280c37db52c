namespace FakeEtcd.Tests.Differential.Fuzz;

/// <summary>
/// Delta debugging over the step list: drop the steps after the divergence, then chunks of halving
/// size, then single steps, keeping every removal after which a fresh pair still diverges.
/// </summary>
public static class FuzzShrinker
{
    /// <summary>Shrinks <paramref name="failing"/> within <paramref name="budget"/> of wall time; returns the smallest diverging list found.</summary>
    public static async Task<(IReadOnlyList<FuzzOp> Ops, FuzzDivergence Divergence, int Replays)> ShrinkAsync(
        FuzzResult failing, TimeSpan budget, CancellationToken cancellationToken)
    {
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        var divergence = failing.Divergence ?? throw new ArgumentException("The run did not diverge.", nameof(failing));
        // Steps after the first divergence cannot matter, unless it was found by the final watch comparison.
        var ops = failing.Ops.Take(Math.Min(divergence.Step, failing.Ops.Count)).ToList();
        var replays = 0;

        async Task<FuzzDivergence?> Diverges(List<FuzzOp> candidate)
        {
            replays++;
            var result = await FuzzRunner.ReplayAsync(candidate, cancellationToken);
            return result.Divergence;
        }

        bool OutOfTime() => clock.GetElapsedTime(started) > budget;

        for (var chunk = Math.Max(1, ops.Count / 2); chunk >= 1 && !OutOfTime(); chunk /= 2)
        {
            for (var start = ops.Count - chunk; start >= 0 && !OutOfTime(); start -= chunk)
            {
                var candidate = ops.Take(start).Concat(ops.Skip(start + chunk)).ToList();
                if (candidate.Count > 0 && await Diverges(candidate) is { } found)
                {
                    ops = candidate;
                    divergence = found;
                    start = Math.Min(start, ops.Count - chunk + 1);
                }
            }

            if (chunk == 1)
            {
                break;
            }
        }

        return (ops, divergence, replays);
    }
}

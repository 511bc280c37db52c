namespace FakeEtcd;

/// <content>Run-to-condition: advance timer by timer until a condition holds.</content>
public sealed partial class VirtualClock
{
    /// <summary>What to add to the failure of <see cref="RunUntilAsync"/> (a simulated server sets its history).</summary>
    internal Func<string>? FailureDiagnostics { get; set; }

    /// <summary>When the earliest pending timer is due, if any.</summary>
    public DateTimeOffset? NextTimerDue
    {
        get
        {
            lock (_gate)
            {
                return _timers.Min?.Due;
            }
        }
    }

    /// <summary>
    /// Settles, then advances through due timers one instant at a time until <paramref name="condition"/>
    /// holds (checked after every settle) or <paramref name="virtualLimit"/> of virtual time has passed.
    /// </summary>
    /// <returns>The virtual time it took.</returns>
    /// <exception cref="VirtualTimeLimitException">The limit passed first; the message carries the simulation history if there is one.</exception>
    public async Task<TimeSpan> RunUntilAsync(Func<bool> condition, TimeSpan virtualLimit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentOutOfRangeException.ThrowIfLessThan(virtualLimit, TimeSpan.Zero);
        var start = GetUtcNow();
        var limit = start + virtualLimit;
        await AdvanceAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        while (!condition())
        {
            var now = GetUtcNow();
            if (now >= limit)
            {
                throw new VirtualTimeLimitException(virtualLimit, FailureDiagnostics?.Invoke());
            }

            // The next instant something can happen: the earliest timer (fires now if overdue), or the limit.
            var target = NextTimerDue is { } due && due < limit ? (due > now ? due : now) : limit;
            await AdvanceToAsync(target, cancellationToken).ConfigureAwait(false);
        }

        return GetUtcNow() - start;
    }
}

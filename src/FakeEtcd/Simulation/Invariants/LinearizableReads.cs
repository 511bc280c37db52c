using FakeEtcd.Simulation.History;

namespace FakeEtcd.Simulation.Invariants;

/// <summary>
/// Single-key registers: every read of one key (a Range of one key at the latest revision) is
/// linearizable against the history's single order of commits — its revision is not older than what
/// had committed when it was sent, and it returns exactly the key's state at that revision (the last
/// PUT's mod revision, or nothing after a DELETE or lease expiry). Writes are totally ordered by the
/// commit entries themselves.
/// </summary>
internal static class LinearizableReads
{
    private const string Range = "Range ";

    /// <summary>The one-key reads the check judges: each answered Range of one key at the latest revision, with its request.</summary>
    public static IEnumerable<(HistoryEntry Request, HistoryEntry Response, string Key)> Reads(IReadOnlyList<HistoryEntry> history)
    {
        var requests = history.Where(e => e.Kind == HistoryKind.Request && e.Call != 0).ToDictionary(e => e.Call);
        foreach (var response in history.Where(e => e.Kind == HistoryKind.Response && e.Call != 0 && e.Detail.StartsWith(Range + "count=", StringComparison.Ordinal)))
        {
            if (requests.TryGetValue(response.Call, out var request) && SingleKey(request.Detail) is { } key)
            {
                yield return (request, response, key);
            }
        }
    }

    public static IEnumerable<Violation> Check(IReadOnlyList<HistoryEntry> history)
    {
        var changes = history.Where(e => e.Kind == HistoryKind.Commit)
            .SelectMany(c => c.Events)
            .GroupBy(e => e.Key)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.Revision).ToList());
        foreach (var (request, response, key) in Reads(history))
        {
            if (response.Revision < request.Revision)
            {
                yield return new Violation("LinearizableReads", response.Sequence,
                    $"{response.Client} read {key} at revision {response.Revision}, older than revision {request.Revision} committed before the read was sent");
                continue;
            }

            var last = changes.TryGetValue(key, out var keyChanges) ? keyChanges.LastOrDefault(e => e.Revision <= response.Revision) : null;
            var expected = last is { Type: "PUT" } ? $"count=1 {key}@{last.Revision}" : "count=0";
            var actual = response.Detail[Range.Length..];

            // A count-only read lists no key: then only the count is compared.
            if (actual != expected && actual != expected.Split(' ')[0])
            {
                yield return new Violation("LinearizableReads", response.Sequence,
                    $"{response.Client} read {key} at revision {response.Revision} as \"{actual}\"; the commits say \"{expected}\"");
            }
        }
    }

    /// <summary>The key of a one-key read at the latest revision ("Range k"); null for ranges, prefixes and reads at a revision.</summary>
    private static string? SingleKey(string request) =>
        request.StartsWith(Range, StringComparison.Ordinal) && !request.Contains("..", StringComparison.Ordinal) && !request.Contains('@', StringComparison.Ordinal)
            ? request[Range.Length..]
            : null;
}

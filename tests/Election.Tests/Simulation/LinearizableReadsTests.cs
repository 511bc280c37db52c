using FakeEtcd.Simulation.History;
using FakeEtcd.Simulation.Invariants;

namespace Election.Tests.Simulation;

/// <summary>Issue 7.5 (stretch): single-key reads checked against the order of commits, on hand-written histories.</summary>
public sealed class LinearizableReadsTests
{
    [Fact]
    public void Reads_that_return_the_state_at_their_revision_pass()
    {
        Assert.Empty(HistoryChecks.ReadsAreLinearizable(History(readFrom: 3, readAt: 3, answer: "count=1 k@3")));
        Assert.Empty(HistoryChecks.ReadsAreLinearizable(History(readFrom: 4, readAt: 4, answer: "count=0")));
        Assert.Empty(HistoryChecks.ReadsAreLinearizable(History(readFrom: 2, readAt: 2, answer: "count=1 k@2")));
    }

    [Fact]
    public void A_stale_read_is_caught()
    {
        Assert.Equal(
            ["LinearizableReads at #5: c2 read k at revision 3, older than revision 4 committed before the read was sent"],
            HistoryChecks.ReadsAreLinearizable(History(readFrom: 4, readAt: 3, answer: "count=1 k@3")).Select(v => v.ToString()));
    }

    [Fact]
    public void A_read_that_misses_a_delete_is_caught()
    {
        Assert.Equal(
            ["LinearizableReads at #5: c2 read k at revision 4 as \"count=1 k@3\"; the commits say \"count=0\""],
            HistoryChecks.ReadsAreLinearizable(History(readFrom: 4, readAt: 4, answer: "count=1 k@3")).Select(v => v.ToString()));
    }

    /// <summary>k is put at revisions 2 and 3 and deleted at 4; c2 sends a read when revision <paramref name="readFrom"/> is committed and gets <paramref name="answer"/> at <paramref name="readAt"/>.</summary>
    private static List<HistoryEntry> History(long readFrom, long readAt, string answer) =>
    [
        Entry(0, HistoryKind.Commit, 2) with { Events = [new HistoryEvent("PUT", "k", 2, 0)] },
        Entry(1, HistoryKind.Commit, 3) with { Events = [new HistoryEvent("PUT", "k", 3, 0)] },
        Entry(2, HistoryKind.Commit, 4) with { Events = [new HistoryEvent("DELETE", "k", 4, 0)] },
        Entry(3, HistoryKind.Request, readFrom) with { Client = "c2", Call = 7, Detail = "Range k" },
        Entry(4, HistoryKind.Request, readFrom) with { Client = "c2", Call = 8, Detail = "Range k..l" },
        Entry(5, HistoryKind.Response, readAt) with { Client = "c2", Call = 7, Detail = "Range " + answer },
        Entry(6, HistoryKind.Response, readAt) with { Client = "c2", Call = 8, Detail = "Range count=5" },
    ];

    private static HistoryEntry Entry(long sequence, HistoryKind kind, long revision) =>
        new() { Sequence = sequence, At = TimeSpan.Zero, Client = "c1", Kind = kind, Revision = revision };
}

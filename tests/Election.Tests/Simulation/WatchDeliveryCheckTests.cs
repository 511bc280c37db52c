using FakeEtcd.Simulation.Faults;
using FakeEtcd.Simulation.History;
using FakeEtcd.Simulation.Invariants;

namespace Election.Tests.Simulation;

/// <summary>
/// Issue 23.3: the watch delivery check on hand-written histories. Watcher w#1/0 on key k is created
/// at revision 1 (so it expects every change of k from revision 2 on) and is checked to the end of its stream.
/// </summary>
public sealed class WatchDeliveryCheckTests
{
    [Fact]
    public void A_gap_and_a_duplicate_are_violations()
    {
        var history = Watch(Commit(0, 2), Commit(0, 3), Commit(0, 4), Delivered(0, 2), Delivered(0, 4), Delivered(0, 4));

        Assert.Equal(
            [
                "WatchersSawEveryRevisionInOrder at #6: watcher w#1/0 on k got PUT k@4 after PUT k@4 (duplicate or out of order)",
                "WatchersSawEveryRevisionInOrder at #0: watcher w#1/0 on k never got PUT k@3",
            ],
            Check(history));
    }

    [Fact]
    public void A_reordering_is_a_violation()
    {
        var history = Watch(Commit(0, 2), Commit(0, 3), Delivered(0, 3), Delivered(0, 2));

        Assert.Equal(["WatchersSawEveryRevisionInOrder at #4: watcher w#1/0 on k got PUT k@2 after PUT k@3 (duplicate or out of order)"], Check(history));
    }

    [Fact]
    public void Every_change_delivered_once_in_order_passes()
    {
        var history = Watch(Commit(1, 2), Delivered(1, 2), Commit(2, 3, "other"), Commit(3, 4), Delivered(3, 4));

        Assert.Empty(Check(history));
    }

    [Fact]
    public void A_watcher_that_never_receives_is_a_violation()
    {
        Assert.Equal(["WatchersSawEveryRevisionInOrder at #0: watcher w#1/0 on k never got PUT k@2"], Check(Watch(Commit(1, 2))));
    }

    [Fact]
    public void A_watcher_that_stops_receiving_is_a_violation()
    {
        var history = Watch(Commit(1, 2), Delivered(1, 2), Commit(5, 3), Delete(6, 4));

        Assert.Equal(
            ["WatchersSawEveryRevisionInOrder at #0: watcher w#1/0 on k never got PUT k@3", "WatchersSawEveryRevisionInOrder at #0: watcher w#1/0 on k never got DELETE k@4"],
            Check(history));
    }

    [Fact]
    public void A_change_committed_before_the_stream_ended_must_have_arrived()
    {
        var history = Watch(Commit(4, 2), Ended(5));

        Assert.Equal(["WatchersSawEveryRevisionInOrder at #0: watcher w#1/0 on k never got PUT k@2 (its stream ended at t=5.000s)"], Check(history));
    }

    [Fact]
    public void Changes_at_the_instant_the_stream_ended_or_after_it_may_be_missing()
    {
        Assert.Empty(Check(Watch(Commit(5, 2), Ended(5), Commit(6, 3))));
    }

    [Fact]
    public void A_change_held_by_a_delayed_watch_past_the_streams_end_is_excused_but_not_one_released_before_it()
    {
        var delay = new Fault { Kind = FaultKind.DelayWatch, Client = "w", At = TimeSpan.FromSeconds(3), Duration = TimeSpan.FromSeconds(10), Delay = TimeSpan.FromSeconds(2) };
        HistoryEntry started = HandWritten.Fault(HistoryKind.FaultStarted, 3, delay);

        Assert.Empty(Check(Watch(started, Commit(4, 2), Ended(5))));
        Assert.Single(Check(Watch(started, Commit(4, 2), Ended(7))));
        Assert.Single(Check(Watch(started with { Fault = delay with { Client = "other" } }, Commit(4, 2), Ended(5))));
    }

    [Fact]
    public void A_watcher_with_a_filter_expects_only_what_passes_it()
    {
        var history = Watch(Commit(1, 2), Delete(2, 3), Delivered(2, 3) with { Events = [new HistoryEvent("DELETE", "k", 3, 0)] });
        history[0] = history[0] with { Detail = "from 0 noput" };

        Assert.Empty(Check(history));
    }

    [Fact]
    public void A_compaction_cancel_ends_the_check_at_the_last_delivered_revision()
    {
        var history = Watch(Commit(1, 2), Commit(1, 3), Delivered(1, 2), Delivered(1, 0) with { Detail = "canceled compact=3", Events = [] }, Commit(2, 4));

        Assert.Empty(Check(history));
    }

    private static List<string> Check(IReadOnlyList<HistoryEntry> history) =>
        [.. HistoryChecks.WatchersSawEveryRevisionInOrder(history).Select(v => v.ToString())];

    private static List<HistoryEntry> Watch(params HistoryEntry[] then) =>
        HandWritten.InOrder([Watcher(HistoryKind.WatchCreated, 0, 1) with { Key = "k", RangeEnd = string.Empty, Detail = "from 0" }, .. then]);

    private static HistoryEntry Commit(double at, long revision, string key = "k") =>
        HandWritten.Entry(at, "c", HistoryKind.Commit) with { Revision = revision, Events = [new HistoryEvent("PUT", key, revision, 0)] };

    private static HistoryEntry Delete(double at, long revision) =>
        HandWritten.Entry(at, "c", HistoryKind.Commit) with { Revision = revision, Events = [new HistoryEvent("DELETE", "k", revision, 0)] };

    private static HistoryEntry Delivered(double at, long revision) =>
        Watcher(HistoryKind.WatchDelivered, at, revision) with { Events = [new HistoryEvent("PUT", "k", revision, 0)] };

    private static HistoryEntry Ended(double at) => Watcher(HistoryKind.WatchEnded, at, 0) with { Detail = "stream closed" };

    private static HistoryEntry Watcher(HistoryKind kind, double at, long revision) =>
        HandWritten.Entry(at, "w", kind) with { Revision = revision, Stream = "w#1", WatchId = 0 };
}

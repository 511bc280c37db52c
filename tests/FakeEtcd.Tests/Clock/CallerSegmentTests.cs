using FakeEtcd.Clock;

namespace FakeEtcd.Tests.Clock;

/// <summary>
/// An answer to a call started by code that is still running waits for that code to return, so the
/// caller's await has registered its continuation and the answer runs it inline (see <see cref="CallerSegment"/>).
/// </summary>
public sealed class CallerSegmentTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public void An_answer_from_another_thread_waits_until_the_segment_that_started_the_call_ends()
    {
        var ran = new List<string>();
        var segment = CallerSegment.Begin();
        try
        {
            OnAnotherThread(() => _ = CallerSegment.HandOverAsync(segment, ran, static r => r.Add("answer"), Timeout.InfiniteTimeSpan));
            ran.Add("segment still running");
        }
        finally
        {
            segment.End();
        }

        Assert.Equal(["segment still running", "answer"], ran);
        Assert.Null(CallerSegment.Current);
    }

    [Fact]
    public void An_answer_after_the_segment_ended_or_without_one_runs_at_once()
    {
        var segment = CallerSegment.Begin();
        segment.End();
        var ran = 0;
        OnAnotherThread(() => CallerSegment.HandOverAsync(segment, 0, _ => ran++, CallerSegment.Patience));
        OnAnotherThread(() => CallerSegment.HandOverAsync(null, 0, _ => ran++, CallerSegment.Patience));
        Assert.Equal(2, ran);
    }

    [Fact]
    public void An_answer_on_the_segments_own_thread_runs_at_once()
    {
        var ran = false;
        var segment = CallerSegment.Begin();
        try
        {
            _ = CallerSegment.HandOverAsync(segment, 0, _ => ran = true, CallerSegment.Patience);
            Assert.True(ran);
        }
        finally
        {
            segment.End();
        }
    }

    [Fact]
    public void A_segment_that_blocks_on_the_answer_gets_it_after_the_patience_and_the_answer_runs_once()
    {
        var runs = 0;
        var answered = new ManualResetEventSlim();
        var segment = CallerSegment.Begin();
        try
        {
            _ = Task.Run(() => CallerSegment.HandOverAsync(segment, 0, _ =>
            {
                Interlocked.Increment(ref runs);
                answered.Set();
            }, TimeSpan.FromMilliseconds(1)), TestContext.Current.CancellationToken);

            // Sync over async inside a delivery: without the patience this would never return.
            Assert.True(answered.Wait(Bound, TestContext.Current.CancellationToken));
        }
        finally
        {
            segment.End();
        }

        Assert.Equal(1, Volatile.Read(ref runs));
    }

    private static void OnAnotherThread(Action action)
    {
        var thread = new Thread(() => action());
        thread.Start();
        Assert.True(thread.Join(Bound));
    }

    [Fact]
    public void Nested_segments_restore_the_outer_one()
    {
        var outer = CallerSegment.Begin();
        var inner = CallerSegment.Begin();
        Assert.Same(inner, CallerSegment.Current);
        inner.End();
        Assert.Same(outer, CallerSegment.Current);
        outer.End();
        Assert.Null(CallerSegment.Current);
    }
}

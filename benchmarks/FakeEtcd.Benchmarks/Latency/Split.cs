using System.Diagnostics;
using FakeEtcd.Benchmarks.Failover;

namespace FakeEtcd.Benchmarks.Latency;

/// <summary>One failover's steps split at the gRPC events on both sides (see <see cref="ExplainCommand"/>).</summary>
internal sealed record Split(
    TimeSpan Total,
    TimeSpan TriggerToServer,
    TimeSpan ServerToWatchWrite,
    TimeSpan WatchWriteToRead,
    TimeSpan EventToCas,
    TimeSpan CasToServer,
    TimeSpan CasHandler,
    TimeSpan AnswerToClient,
    TimeSpan ClientCompletion,
    TimeSpan CasToCallback)
{
    /// <summary>The split of <paramref name="timing"/> from <paramref name="events"/>, or null when an event is missing.</summary>
    public static Split? Of(FailoverTiming timing, FailoverTrigger trigger, IReadOnlyList<GrpcEvent> events)
    {
        var started = timing.StartedAt;
        var eventSeen = started + Ticks(timing.ToEvent);
        var casSent = eventSeen + Ticks(timing.EventToCas);
        var casAnswered = casSent + Ticks(timing.Cas);
        var triggerMethod = trigger == FailoverTrigger.Revoke ? "/etcdserverpb.Lease/LeaseRevoke" : "/etcdserverpb.KV/DeleteRange";

        var triggerAtServer = First(events, e => e.Server && e.Name == "CallStart" && e.Method == triggerMethod && e.Timestamp >= started);
        // The event the standby read: the last message its client received before the probe saw it, and the server's last write before that.
        var watchRead = Last(events, e => !e.Server && e.Name == "MessageReceived" && e.Timestamp <= eventSeen);
        var watchWritten = watchRead is { } read ? Last(events, e => e.Server && e.Name == "MessageSent" && e.Timestamp <= read.Timestamp) : null;
        var casAtServer = First(events, e => e.Server && e.Name == "CallStart" && e.Method == "/etcdserverpb.KV/Txn" && e.Timestamp >= casSent);
        var answerWritten = casAtServer is { } cas
            ? First(events, e => e.Server && e.Name == "MessageSent" && e.Thread == cas.Thread && e.Timestamp >= cas.Timestamp)
                ?? First(events, e => e.Server && e.Name == "MessageSent" && e.Timestamp >= cas.Timestamp)
            : null;
        var answerRead = answerWritten is { } answer ? First(events, e => !e.Server && e.Name == "MessageReceived" && e.Timestamp >= answer.Timestamp && e.Timestamp <= casAnswered) : null;
        if (triggerAtServer is not { } t || watchWritten is not { } w || watchRead is not { } r || casAtServer is not { } c || answerWritten is not { } a || answerRead is not { } ar
            || w.Timestamp < t.Timestamp)
        {
            return null;
        }

        return new Split(
            timing.Total,
            Stopwatch.GetElapsedTime(started, t.Timestamp),
            Stopwatch.GetElapsedTime(t.Timestamp, w.Timestamp),
            Stopwatch.GetElapsedTime(w.Timestamp, eventSeen),
            timing.EventToCas,
            Stopwatch.GetElapsedTime(casSent, c.Timestamp),
            Stopwatch.GetElapsedTime(c.Timestamp, a.Timestamp),
            Stopwatch.GetElapsedTime(a.Timestamp, ar.Timestamp),
            Stopwatch.GetElapsedTime(ar.Timestamp, casAnswered),
            timing.CasToCallback);
    }

    private static long Ticks(TimeSpan span) => (long)(span.Ticks * (double)Stopwatch.Frequency / TimeSpan.TicksPerSecond);

    private static GrpcEvent? First(IReadOnlyList<GrpcEvent> events, Func<GrpcEvent, bool> match)
    {
        foreach (var e in events)
        {
            if (match(e))
            {
                return e;
            }
        }

        return null;
    }

    private static GrpcEvent? Last(IReadOnlyList<GrpcEvent> events, Func<GrpcEvent, bool> match)
    {
        for (var i = events.Count - 1; i >= 0; i--)
        {
            if (match(events[i]))
            {
                return events[i];
            }
        }

        return null;
    }
}

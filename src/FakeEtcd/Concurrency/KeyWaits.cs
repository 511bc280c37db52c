using EtcdProtocol.Mvccpb;
using FakeEtcd.Apply;
using FakeEtcd.Clock;
using FakeEtcd.Errors;

namespace FakeEtcd.Concurrency;

/// <summary>An event a wait resolved with, and the revision of the commit that carried it.</summary>
internal readonly record struct KeyEvent(Event Event, long Revision);

/// <summary>
/// Waits for the first committed event that matches, from a start revision on, the way a watch
/// from that revision would see it: history first, then live commits, with no gap because both
/// happen under the apply lock. Callers are counted as activity; while a wait blocks it is not (a
/// Campaign blocked on a leader must not stall the virtual clock). The commit or cancellation that
/// ends the wait counts the caller again, inline under the apply lock, before it resumes.
/// </summary>
internal sealed class KeyWaits
{
    private readonly Applier _applier;
    private readonly ActivityTracker _activity;
    private readonly List<Waiter> _waiting = [];

    public KeyWaits(Applier applier, ActivityTracker activity)
    {
        _applier = applier;
        _activity = activity;
        applier.Committed += OnCommitted;
    }

    /// <summary>The first event at revision ≥ <paramref name="fromRevision"/> that <paramref name="match"/> accepts.</summary>
    public async Task<KeyEvent> WaitAsync(Func<Event, bool> match, long fromRevision, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (found, waiter) = _applier.WithHistory(history =>
        {
            if (fromRevision < history.CompactRevision)
            {
                throw EtcdErrors.Compacted();
            }

            foreach (var committed in history.From(fromRevision))
            {
                foreach (var change in committed.Events)
                {
                    if (match(change))
                    {
                        return ((KeyEvent?)new KeyEvent(change, committed.Revision), (Waiter?)null);
                    }
                }
            }

            var waiter = new Waiter(match, _activity.Suspend());
            _waiting.Add(waiter);
            return ((KeyEvent?)null, (Waiter?)waiter);
        });

        if (waiter is null)
        {
            return found!.Value;
        }

        using var registration = cancellationToken.Register(() => Cancel(waiter, cancellationToken));
        return await waiter.Task.ConfigureAwait(false);
    }

    public Task<KeyEvent> WaitForDeleteAsync(Google.Protobuf.ByteString key, long fromRevision, CancellationToken cancellationToken) =>
        WaitAsync(e => e.Type == Event.Types.EventType.Delete && e.Kv.Key == key, fromRevision, cancellationToken);

    public Task<KeyEvent> WaitForPutAsync(Google.Protobuf.ByteString prefix, long fromRevision, CancellationToken cancellationToken) =>
        WaitAsync(e => e.Type == Event.Types.EventType.Put && e.Kv.Key.Span.StartsWith(prefix.Span), fromRevision, cancellationToken);

    public Task<KeyEvent> WaitForChangeAsync(Google.Protobuf.ByteString key, long fromRevision, CancellationToken cancellationToken) =>
        WaitAsync(e => e.Kv.Key == key, fromRevision, cancellationToken);

    private void Cancel(Waiter waiter, CancellationToken cancellationToken) => _applier.WithHistory(_ =>
    {
        if (_waiting.Remove(waiter))
        {
            waiter.Suspended.Dispose();
            waiter.TrySetCanceled(cancellationToken);
        }
    });

    /// <summary>Runs under the apply lock for each commit, in order.</summary>
    private void OnCommitted(Mvcc.CommittedRevision committed)
    {
        for (var i = 0; i < _waiting.Count; i++)
        {
            var waiter = _waiting[i];
            foreach (var change in committed.Events)
            {
                if (waiter.Match(change))
                {
                    _waiting.RemoveAt(i--);
                    waiter.Suspended.Dispose();
                    waiter.TrySetResult(new KeyEvent(change, committed.Revision));
                    break;
                }
            }
        }
    }

    private sealed class Waiter(Func<Event, bool> match, ActivitySuspension suspended) : TaskCompletionSource<KeyEvent>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public Func<Event, bool> Match { get; } = match;

        /// <summary>The caller's count, lifted while it waits; ended (counted again) by whatever wakes it.</summary>
        public ActivitySuspension Suspended { get; } = suspended;
    }
}

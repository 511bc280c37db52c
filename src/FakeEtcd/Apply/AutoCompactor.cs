using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Errors;

namespace FakeEtcd.Apply;

/// <summary>
/// etcd 3.4's compactors (etcdserver/api/v3compactor periodic.go and revision.go) on a TimeProvider:
/// one timer, each tick doing what one turn of etcd's loop does. A compaction goes through the apply
/// path like a client's Compact.
/// </summary>
internal sealed class AutoCompactor : IDisposable
{
    /// <summary>etcd's revision compactor checks every 5 minutes.</summary>
    public static readonly TimeSpan RevisionInterval = TimeSpan.FromMinutes(5);

    private static readonly string CompactedMessage = EtcdErrors.Compacted().Message;

    private readonly Applier _applier;
    private readonly TimeProvider _clock;
    private readonly AutoCompaction _policy;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private readonly Queue<long> _sampled = new();
    private readonly TimeSpan _compactInterval;
    private readonly int _retentions;
    private DateTimeOffset _lastSuccess;
    private TimeSpan _baseInterval;
    private long _lastCompacted;

    public AutoCompactor(Applier applier, TimeProvider clock, AutoCompaction policy)
    {
        _applier = applier;
        _clock = clock;
        _policy = policy;
        TimeSpan tick;
        if (policy.Period > TimeSpan.Zero)
        {
            _compactInterval = policy.Period > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : policy.Period;
            tick = _compactInterval / 10;
            _retentions = (int)(policy.Period / tick) + 1;
            _baseInterval = policy.Period;
            _lastSuccess = clock.GetUtcNow();
            _sampled.Enqueue(applier.CurrentRevision);
        }
        else
        {
            tick = RevisionInterval;
        }

        _timer = clock.CreateTimer(_ => Tick(), null, tick, tick);
    }

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        lock (_gate)
        {
            if (_policy.Period > TimeSpan.Zero)
            {
                TickPeriodic();
            }
            else
            {
                TickRevision();
            }
        }
    }

    private void TickPeriodic()
    {
        // etcd samples at the top of each turn, then waits a tick; this tick ends the wait of the turn
        // whose sample is already queued, and its own sample opens the next turn.
        var now = _clock.GetUtcNow();
        if (now - _lastSuccess >= _baseInterval)
        {
            _baseInterval = _compactInterval;
            if (Compact(_sampled.Peek()))
            {
                _lastSuccess = now;
            }
        }

        _sampled.Enqueue(_applier.CurrentRevision);
        if (_sampled.Count > _retentions)
        {
            _sampled.Dequeue(); // The head is always the revision one period ago.
        }
    }

    private void TickRevision()
    {
        var revision = _applier.CurrentRevision - _policy.Revisions;
        if (revision > 0 && revision != _lastCompacted && Compact(revision))
        {
            _lastCompacted = revision;
        }
    }

    /// <summary>A compaction; already compacted counts as done, as etcd's compactors count it.</summary>
    private bool Compact(long revision)
    {
        try
        {
            _applier.Compact(new CompactionRequest { Revision = revision });
            return true;
        }
        catch (EtcdException e) when (e.Message == CompactedMessage)
        {
            return true;
        }
        catch (EtcdException)
        {
            return false; // An alarm refused it; etcd retries at the next turn.
        }
    }
}

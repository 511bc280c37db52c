using EtcdProtocol.Etcdserverpb;
using EtcdProtocol.V3Electionpb;
using FakeEtcd.Apply;
using FakeEtcd.Clock;
using FakeEtcd.Concurrency;
using static FakeEtcd.Tests.Support.Requests;

namespace FakeEtcd.Tests.Concurrency;

/// <summary>The server's Observe loop on its own, where a test can act between two of its steps.</summary>
public class ElectionObserverTests
{
    private readonly Applier _etcd = new(new EtcdLimits());
    private readonly ActivityTracker _activity = new();

    [Fact]
    public async Task Ends_normally_when_the_leaders_next_revision_was_compacted_while_it_sent()
    {
        _etcd.Put(Put("svc/1", "a")); // 2: the leader
        var observer = new ElectionObserver(_etcd, new KeyWaits(_etcd, _activity));
        var sent = new List<(long Revision, string Value)>();

        // Go's observe sends the leader, then watches from the next revision; a compaction past
        // it in between ends the watch, and the server ends the stream with OK.
        await observer.RunAsync(
            new LeaderRequest { Name = B("svc") },
            response =>
            {
                sent.Add((response.Header.Revision, S(response.Kv.Value)));
                if (sent.Count == 1)
                {
                    _etcd.Put(Put("svc/1", "b"));                           // 3
                    _etcd.Put(Put("other", "x"));                           // 4
                    _etcd.Compact(new CompactionRequest { Revision = 4 });
                }

                return Task.CompletedTask;
            },
            TestContext.Current.CancellationToken);

        Assert.Equal([(2L, "a")], sent);
    }

    [Fact]
    public async Task Follows_the_leaders_puts_when_nothing_was_compacted()
    {
        _etcd.Put(Put("svc/1", "a")); // 2
        var observer = new ElectionObserver(_etcd, new KeyWaits(_etcd, _activity));
        var sent = new List<(long Revision, string Value)>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = observer.RunAsync(
            new LeaderRequest { Name = B("svc") },
            response =>
            {
                sent.Add((response.Header.Revision, S(response.Kv.Value)));
                if (sent.Count == 1)
                {
                    _etcd.Put(Put("svc/1", "b"));                           // 3
                    _etcd.Put(Put("other", "x"));                           // 4
                    _etcd.Compact(new CompactionRequest { Revision = 3 });  // the watch starts at 3: still there
                }
                else
                {
                    stop.Cancel();
                }

                return Task.CompletedTask;
            },
            stop.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal([(2L, "a"), (3L, "b")], sent);
    }
}

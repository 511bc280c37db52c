using Election.Tests.Support;
using FakeEtcd;
using Google.Protobuf;

namespace Election.Tests.Virtual;

/// <summary>Scenarios 12-17 of milvus-active-standby.md §8: partitions, pauses, stops and failing activations.</summary>
public sealed class ActiveStandbyFaultTests
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(30);

    private static TimeSpan At(DateTimeOffset instant) => instant - VirtualClock.DefaultStart;

    [Fact]
    public async Task S11_keepalive_blip_shorter_than_the_ttl_reconnects_without_takeover()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        var changes = new List<SessionStateChange>();
        a.Session.StateChanged += (_, c) => changes.Add(c);
        b.Session.StateChanged += (_, c) => changes.Add(c);
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(15)); // last keepalive received at 10 s

        a.Invoker.Partition(); // the keepalive stream (and a's watch) break; the 20 s keepalive fails
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(20.2));
        a.Invoker.Heal();      // 5.2 s of blip, well inside the 30 s TTL (the lease ends at 40 s unless renewed)
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(100));

        Assert.Equal((SessionState.Active, SessionState.Standby), (a.Session.State, b.Session.State));
        Assert.Empty(changes);
        Assert.Equal((1, 0), (a.Activations, b.Activations));
        Assert.False(b.Activated.IsCompleted);
        var lease = await etcd.Operator.LeaseTimeToLiveAsync(new Etcdserverpb.LeaseTimeToLiveRequest { ID = a.Session.LeaseId }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.InRange(lease.TTL, 1, 30); // renewed after the blip, every T/3 since
    }

    [Fact]
    public async Task S12_partitioned_active_notices_no_later_than_the_standby_takes_over()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        var lost = new TaskCompletionSource<DateTimeOffset>();
        a.Session.StateChanged += (_, c) => lost.TrySetResult(c.At);
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(15)); // last keepalive received at 10 s
        a.Invoker.Crash(); // partition: the process runs on, nothing reaches etcd
        await etcd.AdvanceAsync(2 * T);

        Assert.Equal(SessionState.Lost, a.Session.State);
        Assert.Equal(SessionLossReason.KeepAliveTimeout, a.Session.LossReason);
        Assert.Equal(TimeSpan.FromSeconds(40), At(await b.Activated));
        // The client deadline counts from the send time of the last answered keepalive: no overlap.
        Assert.True(await lost.Task <= await b.Activated);
    }

    [Fact]
    public async Task S13_resumed_old_active_is_fenced_by_the_epoch()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        a.Invoker.Crash();
        await etcd.AdvanceAsync(1.5 * T);
        Assert.Equal((SessionState.Lost, SessionState.Active), (a.Session.State, b.Session.State));

        // A meta write guarded by the old epoch fails; one guarded by the new epoch succeeds.
        var guarded = Guarded(a.Session.ActiveKey, a.Session.Epoch);
        Assert.False((await etcd.Operator.TransactionAsync(guarded, cancellationToken: TestContext.Current.CancellationToken)).Succeeded);
        Assert.True((await etcd.Operator.TransactionAsync(Guarded(b.Session.ActiveKey, b.Session.Epoch), cancellationToken: TestContext.Current.CancellationToken)).Succeeded);
    }

    [Fact]
    public async Task S14_standby_whose_own_lease_expires_fails_instead_of_spinning()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        b.Invoker.Crash();
        await etcd.AdvanceAsync(T);

        Assert.Equal(SessionState.Lost, b.Session.State);
        var error = await Assert.ThrowsAsync<SessionLostException>(() => b.Processing);
        Assert.Equal(SessionLossReason.KeepAliveTimeout, error.Reason);
        // Its broken watch retried the CAS every 100 ms until its own deadline, then it stopped for good.
        var attempts = b.Log.Count("try to register as ACTIVE");
        await etcd.AdvanceAsync(10 * T);
        Assert.Equal(attempts, b.Log.Count("try to register as ACTIVE"));
    }

    [Fact]
    public async Task S15_stop_while_standby_returns_at_once_and_revokes()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();

        await b.Session.StopAsync();
        await b.Processing; // completes without an exception
        await etcd.SettleAsync();
        Assert.Equal(SessionState.Stopped, b.Session.State);
        Assert.Equal(0, b.Activations);
        Assert.Equal(0, (await etcd.Operator.GetAsync(b.Session.ServerKey, cancellationToken: TestContext.Current.CancellationToken)).Count);
    }

    [Fact]
    public async Task S16_stop_during_activation_cancels_it_then_revokes()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T, process: false);
        var cancelled = false;
        a.OnActivate = async token =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromHours(1), etcd.Clock, token);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
        };
        a.StartProcessing();
        await etcd.SettleAsync(); // a's CAS first, before b even registers
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(5));

        await a.Session.StopAsync();
        await a.Processing;
        await etcd.SettleAsync();
        Assert.True(cancelled);
        Assert.Equal(SessionState.Active, b.Session.State);
        Assert.Equal(TimeSpan.FromSeconds(5), At(await b.Activated));
    }

    [Fact]
    public async Task S17_failing_activation_surfaces_and_the_standby_takes_over()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T, process: false);
        var gate = new TaskCompletionSource();
        a.OnActivate = async _ =>
        {
            await gate.Task;
            throw new InvalidDataException("meta is corrupt");
        };
        a.StartProcessing();
        await etcd.SettleAsync(); // a's CAS first, before b even registers
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();

        gate.SetResult();
        await Assert.ThrowsAsync<InvalidDataException>(() => a.Processing);
        await etcd.SettleAsync();
        Assert.Equal(SessionState.Stopped, a.Session.State);
        Assert.Equal(SessionState.Active, b.Session.State);
    }

    private static Etcdserverpb.TxnRequest Guarded(string activeKey, long epoch) => new()
    {
        Compare =
        {
            new Etcdserverpb.Compare
            {
                Key = ByteString.CopyFromUtf8(activeKey),
                Target = Etcdserverpb.Compare.Types.CompareTarget.Create,
                CreateRevision = epoch,
            },
        },
        Success = { new Etcdserverpb.RequestOp { RequestPut = new Etcdserverpb.PutRequest { Key = ByteString.CopyFromUtf8("meta/x"), Value = ByteString.CopyFromUtf8("v") } } },
    };
}

using Election.Tests.Support;
using FakeEtcd;

namespace Election.Tests.Virtual;

/// <summary>
/// What a graceful stop does first (<see cref="SessionOptions.StopOrder"/>): by default the old active's
/// activation has returned before its lease is revoked, so a standby never starts while the old work
/// still runs (Milvus #51769, #51771). Each active here takes <see cref="WindDown"/> of virtual time to
/// wind down once its token is cancelled.
/// </summary>
public sealed class StopOrderTests
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WindDown = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task By_default_the_standby_takes_over_only_once_the_old_activation_has_returned()
    {
        await using var run = await StoppingActive.StartAsync();
        var (etcd, a, b, ended, stop) = (run.Etcd, run.A, run.B, run.Ended, run.Stop);
        await etcd.AdvanceAsync(WindDown - Tick);
        Assert.Equal(SessionState.Stopped, a.Session.State);
        Assert.False(stop.IsCompleted); // it waits for the activation, still winding down
        Assert.Equal(SessionState.Standby, b.Session.State);
        Assert.Equal(a.Session.LeaseId, (await ActiveKeyAsync(etcd)).Lease); // not revoked yet: still the fence

        await etcd.AdvanceAsync(Tick);
        Assert.True(stop.IsCompleted, "the stop has not finished once the activation returned");
        await stop;
        await a.Processing;
        Assert.Equal(TimeSpan.FromSeconds(7), At(await ended.Ended));
        Assert.Equal(SessionState.Active, b.Session.State);
        Assert.Equal(TimeSpan.FromSeconds(7), At(await b.Activated));
        Assert.Equal(b.Session.LeaseId, (await ActiveKeyAsync(etcd)).Lease);
        Assert.Equal(1, a.Log.Count("session stopped"));
    }

    [Fact]
    public async Task The_liveness_watch_outlives_the_wind_down_and_a_delete_then_is_no_loss_and_revokes_nothing_early()
    {
        // The stop sends its revoke before it ends the active's watch of its own ACTIVE key (the watch's
        // teardown does not delay the takeover), so the watch is still open while the activation winds
        // down; a delete seen then belongs to a session already stopped.
        await using var run = await StoppingActive.StartAsync();
        var (etcd, a, b, ended, stop) = (run.Etcd, run.A, run.B, run.Ended, run.Stop);
        Assert.True(a.Session.Ended.IsCancellationRequested); // the session's token ends at the stop, as before
        await etcd.Operator.DeleteAsync("by-dev/meta/session/rootcoord", cancellationToken: Ct);
        await etcd.SettleAsync();
        Assert.Equal(0, a.Log.Count("session key is deleted"));
        Assert.Equal((SessionState.Stopped, SessionLossReason.None), (a.Session.State, a.Session.LossReason));
        Assert.False(stop.IsCompleted);
        Assert.Equal(1, (await etcd.Operator.GetAsync(a.Session.ServerKey, cancellationToken: Ct)).Count); // not revoked before the activation returned

        await etcd.AdvanceAsync(WindDown);
        await stop;
        Assert.Equal(TimeSpan.FromSeconds(7), At(await ended.Ended));
        Assert.Equal(0, (await etcd.Operator.GetAsync(a.Session.ServerKey, cancellationToken: Ct)).Count);
        Assert.Equal(SessionLossReason.None, a.Session.LossReason);
    }

    [Fact]
    public async Task RevokeFirst_lets_the_standby_start_while_the_old_activation_still_winds_down()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T, process: false, o => o.StopOrder = SessionStopOrder.RevokeFirst);
        var ended = WindsDown(a, etcd.Clock);
        await using var b = await ActivateThenStartStandbyAsync(etcd, a);
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(5));

        await a.Session.StopAsync(); // returns once the revoke is answered, not waiting for the activation
        await ended.Started;
        await etcd.SettleAsync();
        Assert.Equal(SessionState.Active, b.Session.State);
        Assert.Equal(TimeSpan.FromSeconds(5), At(await b.Activated));
        Assert.False(ended.Ended.IsCompleted); // the overlap this order risks: two actives at work from 5 s to 7 s

        await etcd.AdvanceAsync(WindDown);
        Assert.True(a.Processing.IsCompleted, "the activation has not returned after its wind-down");
        await a.Processing;
        Assert.Equal(TimeSpan.FromSeconds(7), At(await ended.Ended));
    }

    [Fact]
    public async Task A_stop_called_by_the_activation_itself_returns_and_the_revoke_follows_the_activation()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T, process: false);
        var stoppedInside = new TaskCompletionSource<TimeSpan>();
        a.OnActivate = async token =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), etcd.Clock, token);
            await a.Session.StopAsync(); // waiting here for this very activation would never return
            stoppedInside.SetResult(etcd.Now);
            token.ThrowIfCancellationRequested();
        };
        await using var b = await ActivateThenStartStandbyAsync(etcd, a);
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(1));

        await a.Processing; // ends after the stop it asked for, revoke included
        await etcd.SettleAsync();
        Assert.Equal(TimeSpan.FromSeconds(1), await stoppedInside.Task);
        Assert.Equal(SessionState.Stopped, a.Session.State);
        Assert.Equal(SessionState.Active, b.Session.State);
        Assert.Equal(TimeSpan.FromSeconds(1), At(await b.Activated));
        Assert.Equal(0, (await etcd.Operator.GetAsync(a.Session.ServerKey, cancellationToken: Ct)).Count);
        Assert.Equal(1, a.Log.Count("session stopped"));
    }

    [Fact]
    public async Task A_stop_before_the_activation_began_never_starts_it()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T, process: false, o => o.EnableActiveStandby = false);
        Assert.Equal(SessionState.Active, a.Session.State); // exclusive: active from registration on
        await a.Session.StopAsync();
        a.StartProcessing();
        await a.Processing;
        Assert.Equal(0, a.Activations);
        Assert.Equal(SessionState.Stopped, a.Session.State);
    }

    /// <summary>Starts <paramref name="active"/>'s race and lets it win (its CAS before the standby even registers), then starts a standby.</summary>
    private static async Task<Candidate> ActivateThenStartStandbyAsync(VirtualEtcd etcd, Candidate active)
    {
        active.StartProcessing();
        await etcd.SettleAsync();
        Assert.Equal(SessionState.Active, active.Session.State);
        return await etcd.StartCandidateAsync("rootcoord", T);
    }

    /// <summary>
    /// The candidate's activation runs until cancelled, then takes <see cref="WindDown"/> to stop. The test
    /// awaits <see cref="WindingDown.Started"/> (its wind-down timer is armed) before it moves the clock:
    /// the cancelled delay's continuation runs on the pool, which a settle under load may not see in time.
    /// </summary>
    private static WindingDown WindsDown(Candidate candidate, VirtualClock clock)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        candidate.OnActivate = async token =>
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, clock, token);
            }
            catch (OperationCanceledException)
            {
                var windDown = Task.Delay(WindDown, clock, CancellationToken.None); // flushing, closing: work still under way
                started.SetResult();
                await windDown;
                ended.SetResult(clock.GetUtcNow());
                throw;
            }
        };
        return new WindingDown(started.Task, ended.Task);
    }

    private sealed record WindingDown(Task Started, Task<DateTimeOffset> Ended);

    /// <summary>An active (A) that winds down, a standby (B), and A's stop called at 5 s with its wind-down begun.</summary>
    private sealed class StoppingActive : IAsyncDisposable
    {
        private StoppingActive(VirtualEtcd etcd, Candidate a, Candidate b, WindingDown ended, Task stop) =>
            (Etcd, A, B, Ended, Stop) = (etcd, a, b, ended, stop);

        public VirtualEtcd Etcd { get; }

        public Candidate A { get; }

        public Candidate B { get; }

        public WindingDown Ended { get; }

        public Task Stop { get; }

        public static async Task<StoppingActive> StartAsync()
        {
            var etcd = await VirtualEtcd.StartAsync();
            var a = await etcd.StartCandidateAsync("rootcoord", T, process: false);
            var ended = WindsDown(a, etcd.Clock);
            var b = await ActivateThenStartStandbyAsync(etcd, a);
            await etcd.AdvanceToAsync(TimeSpan.FromSeconds(5));
            var stop = a.Session.StopAsync();
            await ended.Started;
            return new StoppingActive(etcd, a, b, ended, stop);
        }

        public async ValueTask DisposeAsync()
        {
            await B.DisposeAsync();
            await A.DisposeAsync();
            await Etcd.DisposeAsync();
        }
    }

    private static async Task<Mvccpb.KeyValue> ActiveKeyAsync(VirtualEtcd etcd) =>
        Assert.Single((await etcd.Operator.GetAsync("by-dev/meta/session/rootcoord", cancellationToken: Ct)).Kvs);

    private static TimeSpan At(DateTimeOffset instant) => instant - VirtualClock.DefaultStart;
}

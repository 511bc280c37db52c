using System.Text.Json;
using Election.Tests.Support;

namespace Election.Tests.Virtual;

/// <summary>Milvus's operator actions on a session: <c>GoingStop</c> before a rolling upgrade, <c>ForceActiveStandby</c> over a stuck active.</summary>
public sealed class OperatorActionTests
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Going_stop_marks_the_active_key_stopping_on_the_same_lease_and_the_standby_only_rewatches()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(3));
        var read = await etcd.Operator.GetAsync(a.Session.ActiveKey, cancellationToken: Ct);
        var before = Assert.Single(read.Kvs);

        await a.Session.GoingStopAsync(Ct);
        await etcd.SettleAsync();

        var after = Assert.Single((await etcd.Operator.GetAsync(a.Session.ActiveKey, cancellationToken: Ct)).Kvs);
        using var value = JsonDocument.Parse(after.Value.ToStringUtf8());
        Assert.True(value.RootElement.GetProperty("Stopping").GetBoolean());
        Assert.Equal(a.Session.ServerId, value.RootElement.GetProperty("ServerID").GetInt64());
        Assert.Equal(a.Session.LeaseId, after.Lease);
        Assert.Equal(before.CreateRevision, after.CreateRevision); // the role's epoch is unchanged
        Assert.Equal(read.Header.Revision + 1, after.ModRevision); // the next write after the read: one PUT
        Assert.False(before.Value.ToStringUtf8().Contains("Stopping", StringComparison.Ordinal));

        Assert.Equal(SessionState.Active, a.Session.State); // its own PUT is no loss
        Assert.Equal(SessionState.Standby, b.Session.State);
        Assert.Equal(2, b.Log.Count("try to register as ACTIVE")); // woken by the PUT, CAS failed, watching again
        Assert.Equal(2, b.Log.Count("start to watch ACTIVE key"));
        Assert.Equal(1, a.Log.Count("session is going to stop: by-dev/meta/session/rootcoord"));
    }

    [Fact]
    public async Task Going_stop_on_a_standby_marks_its_own_key()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();

        await b.Session.GoingStopAsync(Ct);
        await etcd.SettleAsync();

        var own = Assert.Single((await etcd.Operator.GetAsync(b.Session.ServerKey, cancellationToken: Ct)).Kvs);
        Assert.Contains("\"Stopping\":true", own.Value.ToStringUtf8(), StringComparison.Ordinal);
        var active = Assert.Single((await etcd.Operator.GetAsync(a.Session.ActiveKey, cancellationToken: Ct)).Kvs);
        Assert.DoesNotContain("Stopping", active.Value.ToStringUtf8(), StringComparison.Ordinal);
        Assert.Equal(1, b.Log.Count("try to register as ACTIVE"));
    }

    [Fact]
    public async Task Force_active_standby_revokes_a_stuck_actives_lease_and_takes_over_at_once()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var stuck = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T, process: false);
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(5));
        stuck.Invoker.Crash(); // hung: no call of its own gets out, but its lease would live on to 30 s and beyond

        var activatedAt = new TaskCompletionSource<TimeSpan>();
        var forcing = b.Session.ForceActiveStandbyAsync(_ =>
        {
            activatedAt.SetResult(etcd.Now);
            return Task.CompletedTask;
        }, Ct);
        await etcd.SettleAsync();
        await forcing;

        Assert.Equal(TimeSpan.FromSeconds(5), await activatedAt.Task);
        Assert.Equal(SessionState.Active, b.Session.State);
        var key = Assert.Single((await etcd.Operator.GetAsync(b.Session.ActiveKey, cancellationToken: Ct)).Kvs);
        Assert.Equal(b.Session.LeaseId, key.Lease);
        Assert.Equal(0, (await etcd.Operator.GetAsync(stuck.Session.ServerKey, cancellationToken: Ct)).Count); // its lease went with both keys
        Assert.Equal(1, b.Log.Count("force register ACTIVE rootcoord"));
    }

    [Fact]
    public async Task Force_active_standby_with_no_holder_just_takes_the_key()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T, process: false);
        await a.Session.ForceActiveStandbyAsync(_ => Task.CompletedTask, Ct);
        Assert.Equal(SessionState.Active, a.Session.State);
        Assert.Equal(0, a.Log.Count("force register ACTIVE"));
        var key = Assert.Single((await etcd.Operator.GetAsync(a.Session.ActiveKey, cancellationToken: Ct)).Kvs);
        Assert.Equal(a.Session.Epoch, key.CreateRevision);
        Assert.Equal(a.Session.LeaseId, key.Lease);
    }
}

using Election.Tests.Support;
using Etcdserverpb;
using static Election.Tests.Support.Registrations;

namespace Election.Tests.Virtual;

/// <summary>
/// Registration as Milvus's <c>registerService</c>: <c>retry.Do</c> with 30 tries and a back-off of
/// 0.2, 0.4, 0.8, 1.6 s, then 3 s (tries at 0, 0.2, 0.6, 1.4, 3, 6, 9, 12 s, ...), each on a fresh lease;
/// <c>handleRestart</c> for a key left by the same address; and the standby's CAS on a lease that is gone.
/// </summary>
public sealed class RegisterTests
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Registration_is_retried_with_back_off_until_etcd_answers()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var invoker = new CrashableInvoker(etcd.Invoker);
        invoker.Partition();
        var log = new ListLogger();
        var registering = ActiveStandbySession.RegisterAsync(invoker.Invoker, Options(etcd, log), Ct);
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(1));
        invoker.Heal(); // the tries at 0, 0.2 and 0.6 s failed; the next is at 1.4 s

        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(1.4) - Tick);
        Assert.False(registering.IsCompleted);
        await etcd.AdvanceAsync(Tick);
        await using var session = await Finished(registering);
        Assert.Equal(SessionState.Standby, session.State);
        Assert.Equal(3, log.Count("register rootcoord session failed, try "));
        Assert.Equal(1, session.ServerId);
    }

    [Fact]
    public async Task A_held_exclusive_key_is_retried_on_fresh_leases_and_taken_once_released()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T, process: false, Exclusive("10.0.0.1:53100"));
        var starting = etcd.StartCandidateAsync("rootcoord", T, process: false, Exclusive("10.0.0.2:53100"));
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(10));
        await a.Session.StopAsync(); // between the tries at 9 s and 12 s

        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(12) - Tick);
        Assert.False(starting.IsCompleted);
        await etcd.AdvanceAsync(Tick);
        await using var b = await Finished(starting);
        Assert.Equal(SessionState.Active, b.Session.State);
        Assert.Equal(7, b.Log.Count("register rootcoord session failed, try "));

        // Each failed try revoked its own lease: b's is the only one left.
        var leases = await etcd.Operator.LeaseLeasesAsync(new LeaseLeasesRequest(), cancellationToken: Ct);
        Assert.Equal([b.Session.LeaseId], leases.Leases.Select(l => l.ID));
        Assert.Equal(b.Session.LeaseId, Assert.Single((await etcd.Operator.GetAsync(b.Session.ActiveKey, cancellationToken: Ct)).Kvs).Lease);
    }

    [Fact]
    public async Task A_held_exclusive_key_fails_registration_after_the_last_try()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T, process: false, Exclusive("10.0.0.1:53100"));
        var log = new ListLogger();
        var options = Options(etcd, log);
        options.EnableActiveStandby = false;
        options.Address = "10.0.0.2:53100";
        options.RegisterRetries = 5;
        var registering = ActiveStandbySession.RegisterAsync(etcd.Invoker, options, Ct);

        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(3) - Tick); // tries at 0, 0.2, 0.6, 1.4 and 3 s
        Assert.False(registering.IsCompleted);
        await etcd.AdvanceAsync(Tick);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Finished(registering));
        Assert.Equal("session key by-dev/meta/session/rootcoord is already registered by another process", refused.Message);
        Assert.Equal(4, log.Count("register rootcoord session failed, try "));
        Assert.Equal(SessionState.Active, a.Session.State);
        var leases = await etcd.Operator.LeaseLeasesAsync(new LeaseLeasesRequest(), cancellationToken: Ct);
        Assert.Equal([a.Session.LeaseId], leases.Leases.Select(l => l.ID));
    }

    [Fact]
    public async Task A_restart_on_the_same_address_purges_the_old_key_instead_of_waiting_for_its_lease()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var old = await etcd.StartCandidateAsync("rootcoord", T, process: false, Exclusive("10.0.0.1:53100"));
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(5));
        await old.CrashAsync(); // its lease lives on in etcd until 30 s

        var starting = etcd.StartCandidateAsync("rootcoord", T, process: false, Exclusive("10.0.0.1:53100"));
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(5.2) - Tick);
        Assert.False(starting.IsCompleted);
        await etcd.AdvanceAsync(Tick);
        await using var restarted = await Finished(starting);
        Assert.Equal(SessionState.Active, restarted.Session.State);
        Assert.Equal(2, restarted.Session.ServerId);
        Assert.Equal(1, restarted.Log.Count("find old session is same as current node, assume it as restart, purge old session"));
        Assert.Equal(1, restarted.Log.Count("register rootcoord session failed, try 1 of 30"));
        var key = Assert.Single((await etcd.Operator.GetAsync(restarted.Session.ActiveKey, cancellationToken: Ct)).Kvs);
        Assert.Equal(restarted.Session.LeaseId, key.Lease);
        Assert.Equal(restarted.Session.Epoch, key.CreateRevision);
    }

    [Fact]
    public async Task A_key_of_another_address_is_not_purged()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var other = await etcd.StartCandidateAsync("rootcoord", T, process: false, Exclusive("10.0.0.1:53100"));
        await other.CrashAsync(); // its lease, granted at 0 s, expires at 30 s
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(2));
        var starting = etcd.StartCandidateAsync("rootcoord", T, process: false, Exclusive("10.0.0.9:53100"));

        // Tries at 2, 2.2, 2.6, 3.4, 5, 8, ..., 29 s find the key held; the one at 32 s finds it gone.
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, (await etcd.Operator.GetAsync("by-dev/meta/session/rootcoord", cancellationToken: Ct)).Count);
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(32) - Tick);
        Assert.False(starting.IsCompleted);
        await etcd.AdvanceAsync(Tick);
        await using var next = await Finished(starting);
        Assert.Equal(SessionState.Active, next.Session.State);
        Assert.Equal(0, next.Log.Count("purge old session"));
    }

    [Fact]
    public async Task A_standby_whose_lease_is_gone_is_lost_at_its_cas_and_does_not_spin()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(1, b.Log.Count("try to register as ACTIVE"));

        // b's lease goes behind its back (its next keepalive is at 10 s), then the ACTIVE key is freed: b's
        // CAS names a lease etcd no longer has ("etcdserver: requested lease not found").
        await etcd.Operator.LeaseRevokeAsync(new LeaseRevokeRequest { ID = b.Session.LeaseId }, cancellationToken: Ct);
        await a.Session.StopAsync();
        await etcd.SettleAsync();

        var lost = await Assert.ThrowsAsync<SessionLostException>(() => b.Processing);
        Assert.Equal(SessionLossReason.LeaseNotFound, lost.Reason);
        Assert.Equal(SessionState.Lost, b.Session.State);
        Assert.Equal(2, b.Log.Count("try to register as ACTIVE"));
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, b.Log.Count("try to register as ACTIVE")); // no spinning (Milvus #28834)
        Assert.Equal(0, b.Activations);
        Assert.Equal(0, (await etcd.Operator.GetAsync(b.Session.ActiveKey, cancellationToken: Ct)).Count);
    }

    private static SessionOptions Options(VirtualEtcd etcd, ListLogger log) => new()
    {
        MetaRoot = "by-dev/meta",
        ServerName = "rootcoord",
        Address = "10.0.0.1:53100",
        Ttl = T,
        TimeProvider = etcd.Clock,
        Logger = log,
    };
}

using Etcdserverpb;
using FakeEtcd.Simulation.Faults;
using FakeEtcd.Simulation.History;
using Grpc.Core;

namespace Election.Tests.Simulation;

/// <summary>Issue 7.2: each fault kind, injected at a virtual instant or revision, and its heal.</summary>
public sealed class FaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fail_partition_refuses_the_client_until_it_heals_and_spares_others()
    {
        await using var etcd = await SimulatedEtcd.StartAsync();
        etcd.Server.Faults.Inject(new Fault { Kind = FaultKind.Partition, Client = "alice", At = TimeSpan.FromSeconds(1), Duration = TimeSpan.FromSeconds(10) });
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(1));

        var refused = await Assert.ThrowsAsync<RpcException>(() => etcd.PutAsync("alice", "a"));
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal(2, (await etcd.PutAsync("bob", "b")).Header.Revision);
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, (await etcd.PutAsync("alice", "a")).Header.Revision);
        Assert.Equal(
            [
                "t=1.000s server     FaultStarted     rev=1 Partition(Fail) on alice at t=1.000s for 10s",
                "t=1.000s alice      FaultApplied     rev=1 Put error Unavailable: " + refused.Status.Detail,
                "t=11.000s server     FaultHealed      rev=2 Partition(Fail) on alice at t=1.000s for 10s",
            ],
            etcd.Lines(e => e.Kind is HistoryKind.FaultStarted or HistoryKind.FaultHealed or HistoryKind.FaultApplied));
    }

    [Fact]
    public async Task Hang_partition_holds_the_request_until_the_heal()
    {
        await using var etcd = await SimulatedEtcd.StartAsync();
        etcd.Server.Faults.Inject(new Fault { Kind = FaultKind.Partition, Mode = PartitionMode.Hang, Client = "alice", Duration = TimeSpan.FromSeconds(10) });
        await etcd.AdvanceAsync(TimeSpan.Zero);

        var put = etcd.PutAsync("alice", "a");
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(9));
        Assert.False(put.IsCompleted);
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(2, (await put).Header.Revision);
        Assert.Equal(TimeSpan.FromSeconds(10), etcd.Server.History.Entries.Single(e => e.Kind == HistoryKind.Commit).At);
    }

    [Fact]
    public async Task Pause_holds_every_client_until_it_resumes()
    {
        await using var etcd = await SimulatedEtcd.StartAsync();
        etcd.Server.Faults.Inject(new Fault { Kind = FaultKind.PauseServer, At = TimeSpan.FromSeconds(2), Duration = TimeSpan.FromSeconds(3) });
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(2));

        var puts = new[] { etcd.PutAsync("alice", "a"), etcd.PutAsync("bob", "b") };
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(puts, p => p.IsCompleted);
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(1));
        await etcd.AdvanceAsync(TimeSpan.FromMilliseconds(1)); // released one virtual millisecond apart, in arrival order
        await Task.WhenAll(puts);
        Assert.Equal(
            [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5.001)],
            etcd.Server.History.Entries.Where(e => e.Kind == HistoryKind.Commit).Select(c => c.At));
    }

    [Fact]
    public async Task Nth_matching_request_fails_with_the_chosen_etcd_error()
    {
        await using var etcd = await SimulatedEtcd.StartAsync();
        etcd.Server.Faults.Inject(new Fault { Kind = FaultKind.FailRequest, Client = "alice", Method = "Put", Nth = 2, Error = InjectedError.RequestTimedOut });
        await etcd.AdvanceAsync(TimeSpan.Zero);

        await etcd.Kv("alice").RangeAsync(new RangeRequest { Key = SimulatedEtcd.Key("a") }, cancellationToken: Ct);
        await etcd.PutAsync("alice", "a");
        var failed = await Assert.ThrowsAsync<RpcException>(() => etcd.PutAsync("alice", "a"));
        await etcd.PutAsync("alice", "a");

        Assert.Equal((StatusCode.Unavailable, "etcdserver: request timed out"), (failed.StatusCode, failed.Status.Detail));
        Assert.Equal(3, etcd.Server.Revision);
        Assert.Empty(etcd.Server.Faults.Active);
    }

    [Theory]
    [InlineData(InjectedError.LeaderChanged, "etcdserver: leader changed")]
    [InlineData(InjectedError.NoLeader, "etcdserver: no leader")]
    public async Task Injected_errors_carry_etcd_s_messages(InjectedError error, string message)
    {
        await using var etcd = await SimulatedEtcd.StartAsync();
        etcd.Server.Faults.Inject(new Fault { Kind = FaultKind.FailRequest, Error = error });
        await etcd.AdvanceAsync(TimeSpan.Zero);

        var failed = await Assert.ThrowsAsync<RpcException>(() => etcd.PutAsync("anyone", "a"));
        Assert.Equal((StatusCode.Unavailable, message), (failed.StatusCode, failed.Status.Detail));
    }

    [Fact]
    public async Task Dropped_keepalives_let_the_lease_expire_and_delayed_ones_renew_late()
    {
        await using var etcd = await SimulatedEtcd.StartAsync();
        var lease = await etcd.Leases("alice").LeaseGrantAsync(new LeaseGrantRequest { TTL = 10 }, cancellationToken: Ct);
        etcd.Server.Faults.Inject(new Fault { Kind = FaultKind.DelayKeepAlives, Client = "alice", Delay = TimeSpan.FromSeconds(3), Duration = TimeSpan.FromSeconds(5) });
        etcd.Server.Faults.Inject(new Fault { Kind = FaultKind.DropKeepAlives, Client = "alice", At = TimeSpan.FromSeconds(5) });
        await etcd.AdvanceAsync(TimeSpan.Zero); // faults due now start on the clock's next step
        using var keepAlive = etcd.Leases("alice").LeaseKeepAlive(cancellationToken: Ct);
        await keepAlive.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease.ID }, Ct);
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(5));
        await keepAlive.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease.ID }, Ct);
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(10));

        var id = lease.ID.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            [
                "t=3.000s alice      KeepAlive        rev=1 stream=alice#1 lease=" + id + " ttl=10",
                "t=5.000s alice      KeepAliveDropped rev=1 stream=alice#1 lease=" + id,
                "t=13.000s server     LeaseExpired     rev=1 lease=" + id,
            ],
            etcd.Lines(e => e.Kind is HistoryKind.KeepAlive or HistoryKind.KeepAliveDropped or HistoryKind.LeaseExpired));
    }

    [Fact]
    public async Task Delayed_watch_delivers_events_a_virtual_delay_after_they_commit()
    {
        await using var etcd = await SimulatedEtcd.StartAsync();
        etcd.Server.Faults.Inject(new Fault { Kind = FaultKind.DelayWatch, Client = "bob", Delay = TimeSpan.FromSeconds(4), Duration = TimeSpan.FromSeconds(60) });
        using var watch = etcd.Watches("bob").Watch(cancellationToken: Ct);
        await watch.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = SimulatedEtcd.Key("a") } }, Ct);
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(1));
        await etcd.PutAsync("alice", "a");
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(
            ["t=5.000s bob        WatchDelivered   rev=2 stream=bob#1 watch=0 [PUT a@2]"],
            etcd.Lines(e => e.Kind == HistoryKind.WatchDelivered));
    }

    [Fact]
    public async Task Severed_streams_end_with_unavailable()
    {
        await using var etcd = await SimulatedEtcd.StartAsync();
        using var watch = etcd.Watches("bob").Watch(cancellationToken: Ct);
        await watch.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = SimulatedEtcd.Key("a") } }, Ct);
        Assert.True(await watch.ResponseStream.MoveNext(Ct)); // created
        etcd.Server.Faults.Inject(new Fault { Kind = FaultKind.SeverStreams, Client = "bob", At = TimeSpan.FromSeconds(1) });
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(1));

        var severed = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(Ct));
        Assert.Equal(StatusCode.Unavailable, severed.StatusCode);
        Assert.Equal(
            ["t=1.000s bob        StreamSevered    rev=1 stream=bob#1 Watch"],
            etcd.Lines(e => e.Kind == HistoryKind.StreamSevered));
    }

    [Fact]
    public async Task Compaction_at_a_revision_and_leader_change_refreshing_leases()
    {
        await using var etcd = await SimulatedEtcd.StartAsync();
        etcd.Server.Faults.Schedule(new FaultSchedule
        {
            Faults =
            [
                new Fault { Kind = FaultKind.Compact, AtRevision = 3 },
                new Fault { Kind = FaultKind.LeaderChange, At = TimeSpan.FromSeconds(30) },
            ],
        });
        var lease = await etcd.Leases("alice").LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 }, cancellationToken: Ct);
        await etcd.PutAsync("alice", "a");
        await etcd.PutAsync("alice", "a");
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(30));

        var compacted = await Assert.ThrowsAsync<RpcException>(() =>
            etcd.Kv("alice").RangeAsync(new RangeRequest { Key = SimulatedEtcd.Key("a"), Revision = 2 }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal("etcdserver: mvcc: required revision has been compacted", compacted.Status.Detail);
        var ttl = await etcd.Leases("alice").LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = lease.ID }, cancellationToken: Ct);
        Assert.Equal((3UL, 61L), (ttl.Header.RaftTerm, ttl.TTL)); // promote: now + 1 s election timeout + TTL
    }

    [Fact]
    public void Schedules_round_trip_through_json()
    {
        var schedule = new FaultSchedule
        {
            Faults =
            [
                new Fault { Kind = FaultKind.Partition, Client = "c1", At = TimeSpan.FromSeconds(12.5), Duration = TimeSpan.FromSeconds(30), Mode = PartitionMode.Hang },
                new Fault { Kind = FaultKind.FailRequest, Method = "Txn", Nth = 2, Error = InjectedError.LeaderChanged, AtRevision = 7 },
            ],
        };

        var json = schedule.ToJson();
        Assert.Equal(
            """{"Faults":[{"Kind":"Partition","At":"00:00:12.5000000","Client":"c1","Duration":"00:00:30","Delay":"00:00:00","Mode":"Hang","Nth":1,"Error":"RequestTimedOut","CompactRevision":0},"""
            + """{"Kind":"FailRequest","At":"00:00:00","AtRevision":7,"Duration":"00:00:00","Delay":"00:00:00","Mode":"Fail","Nth":2,"Method":"Txn","Error":"LeaderChanged","CompactRevision":0}]}""",
            json);
        Assert.Equal(schedule.Faults, FaultSchedule.FromJson(json).Faults);
        Assert.Equal(FaultPlanner.Plan(42, ["c1", "c2"], TimeSpan.FromSeconds(120)).ToJson(), FaultPlanner.Plan(42, ["c1", "c2"], TimeSpan.FromSeconds(120)).ToJson());
    }
}

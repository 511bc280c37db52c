using Etcdserverpb;
using FakeEtcd.Simulation.History;

namespace Election.Tests.Simulation;

/// <summary>Issue 7.1: named channels; the server attributes requests, commits, streams and leases to the name.</summary>
public sealed class NamedClientTests
{
    [Fact]
    public async Task Requests_commits_leases_and_streams_are_attributed_to_the_named_client()
    {
        await using var etcd = await SimulatedEtcd.StartAsync();
        var lease = await etcd.Leases("alice").LeaseGrantAsync(new LeaseGrantRequest { TTL = 10 }, cancellationToken: TestContext.Current.CancellationToken);
        await etcd.PutAsync("alice", "a", lease.ID);
        using var watch = etcd.Watches("bob").Watch(cancellationToken: TestContext.Current.CancellationToken);
        await watch.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = SimulatedEtcd.Key("a") } }, TestContext.Current.CancellationToken);
        await etcd.AdvanceAsync(TimeSpan.Zero);
        await etcd.PutAsync("carol", "a");
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(5));

        var id = lease.ID.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            [
                "t=0.000s alice      Request          rev=1 LeaseGrant ttl=10",
                "t=0.000s alice      Response         rev=1 LeaseGrant id=" + id + " ttl=10",
                "t=0.000s alice      LeaseGranted     rev=1 lease=" + id + " ttl=10",
                "t=0.000s alice      Request          rev=1 Put a lease=" + id,
                "t=0.000s alice      Commit           rev=2 [PUT a@2 lease=" + id + "]",
                "t=0.000s alice      Response         rev=2 Put ok",
                "t=0.000s bob        StreamOpened     rev=2 stream=bob#1 Watch",
                "t=0.000s bob        WatchCreated     rev=2 stream=bob#1 watch=0 from 0",
                "t=0.000s carol      Request          rev=2 Put a",
                "t=0.000s carol      Commit           rev=3 [PUT a@3]",
                "t=0.000s carol      Response         rev=3 Put ok",
                "t=0.000s bob        WatchDelivered   rev=3 stream=bob#1 watch=0 [PUT a@3]",
            ],
            etcd.Lines());
        Assert.DoesNotContain(etcd.Server.History.Entries, e => e.Kind == HistoryKind.LeaseExpired);
    }

    [Fact]
    public async Task Lease_expiry_is_the_server_s_own_work()
    {
        await using var etcd = await SimulatedEtcd.StartAsync();
        var lease = await etcd.Leases("alice").LeaseGrantAsync(new LeaseGrantRequest { TTL = 10 }, cancellationToken: TestContext.Current.CancellationToken);
        await etcd.PutAsync("alice", "a", lease.ID);
        await etcd.AdvanceAsync(TimeSpan.FromSeconds(10));

        var id = lease.ID.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            [
                "t=10.000s server     Commit           rev=3 [DELETE a@3]",
                "t=10.000s server     LeaseExpired     rev=3 lease=" + id,
            ],
            etcd.Lines(e => e.At > TimeSpan.Zero));
    }
}

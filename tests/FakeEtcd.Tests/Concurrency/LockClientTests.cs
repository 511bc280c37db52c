using Etcdserverpb;
using FakeEtcd.Tests.Support;
using Grpc.Core;
using static FakeEtcd.Tests.Support.EtcdAssert;

namespace FakeEtcd.Tests.Concurrency;

/// <summary>v3lockpb.Lock through dotnet-etcd, with the virtual clock expiring leases.</summary>
public sealed class LockClientTests : InProcessClientTest
{
    [Fact]
    public async Task UnlockHandsTheLockToTheNextWaiter()
    {
        var (l1, l2) = (await GrantAsync(60), await GrantAsync(60));
        var held = await Client.LockAsync("m", l1, cancellationToken: Ct);
        Assert.Equal($"m/{l1:x}", held.Key.ToStringUtf8());
        var waiting = Client.LockAsync("m", l2, cancellationToken: Ct);
        await Server.Clock.SettleAsync(Ct);
        Assert.False(waiting.IsCompleted);

        var unlocked = await Client.UnlockAsync(held.Key.ToStringUtf8(), cancellationToken: Ct);

        var next = await waiting;
        Assert.Equal(($"m/{l2:x}", unlocked.Header.Revision), (next.Key.ToStringUtf8(), next.Header.Revision));
    }

    [Fact]
    public async Task LeaseExpiryOnTheVirtualClockHandsTheLockOver()
    {
        await Client.LockAsync("m", await GrantAsync(60), cancellationToken: Ct);
        var waiting = Client.LockAsync("m", await GrantAsync(600), cancellationToken: Ct);
        await Server.Clock.AdvanceAsync(TimeSpan.FromSeconds(59), Ct);
        Assert.False(waiting.IsCompleted);

        await Server.Clock.AdvanceAsync(TimeSpan.FromSeconds(1), Ct);

        Assert.True(waiting.IsCompleted);
        await waiting;
    }

    [Fact]
    public async Task WaiterWhoseLeaseExpiredGetsSessionExpiredWhenTheLockFrees()
    {
        var held = await Client.LockAsync("m", await GrantAsync(600), cancellationToken: Ct);
        var waiting = Client.LockAsync("m", await GrantAsync(60), cancellationToken: Ct);
        await Server.Clock.AdvanceAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.False(waiting.IsCompleted);

        await Client.UnlockAsync(held.Key.ToStringUtf8(), cancellationToken: Ct);

        await FailsAsync(StatusCode.Unknown, "mutex: session is expired", () => waiting);
    }

    [Fact]
    public async Task RelockingWithTheSameLeaseIsANoOpAndUnlockOfAMissingKeySucceeds()
    {
        var lease = await GrantAsync(60);
        var first = await Client.LockAsync("m", lease, cancellationToken: Ct);
        var again = await Client.LockAsync("m", lease, cancellationToken: Ct);
        Assert.Equal((first.Key, first.Header.Revision), (again.Key, again.Header.Revision));

        await Client.UnlockAsync(first.Key.ToStringUtf8(), cancellationToken: Ct);
        await Client.UnlockAsync(first.Key.ToStringUtf8(), cancellationToken: Ct);
        await FailsAsync(StatusCode.Unknown, "etcdserver: requested lease not found", () => Client.LockAsync("m", 777, cancellationToken: Ct));
    }

    [Fact]
    public async Task CancelledLockReleasesItsWaiterKey()
    {
        await Client.LockAsync("m", await GrantAsync(60), cancellationToken: Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var lease = await GrantAsync(60);
        var waiting = Client.LockAsync("m", lease, cancellationToken: cancel.Token);
        await Server.Clock.SettleAsync(Ct);
        using var deletes = await DeleteWatch.StartAsync(Server.CreateCallInvoker(), "m/", Ct);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting); // The fixture channel throws on cancellation.
        Assert.Equal($"m/{lease:x}", await deletes.NextDeleteAsync(Ct));
    }

    private async Task<long> GrantAsync(long ttl) =>
        (await Client.LeaseGrantAsync(new LeaseGrantRequest { TTL = ttl }, cancellationToken: Ct)).ID;
}

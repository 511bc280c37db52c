using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using V3Lockpb;

namespace FakeEtcd.Tests.Differential;

/// <summary>v3lockpb.Lock on both servers with explicit lease IDs: keys, headers and errors must be equal.</summary>
public sealed class LockDiffTests : DifferentialTest
{
    private static ByteString B(string text) => ByteString.CopyFromUtf8(text);

    [Fact]
    public async Task Lock_relock_unlock_handover_and_errors()
    {
        await Pair.Grant(0x31);
        await Pair.Grant(0x32);
        await Pair.Both(c => c.Lock.LockAsync(new LockRequest { Name = B("m"), Lease = 0x31 }).ResponseAsync);
        await Pair.Both(c => c.Lock.LockAsync(new LockRequest { Name = B("m"), Lease = 0x31 }).ResponseAsync); // Same key: a no-op.
        await Pair.Both(c => ConcurrencyDiff.BlockedUntilAsync(
            c,
            () => c.Lock.LockAsync(new LockRequest { Name = B("m"), Lease = 0x32 }),
            "m/32",
            () => c.Lock.UnlockAsync(new UnlockRequest { Key = B("m/31") }).ResponseAsync));
        await Pair.Both(c => c.Lock.UnlockAsync(new UnlockRequest { Key = B("m/31") }).ResponseAsync); // Gone already: success.
        await Pair.Both(c => c.Lock.UnlockAsync(new UnlockRequest { Key = B("m/32") }).ResponseAsync);
        await Pair.Both(c => c.Lock.LockAsync(new LockRequest { Name = B("m"), Lease = 0x99 }).ResponseAsync);
        await Pair.Both(c => c.Lock.UnlockAsync(new UnlockRequest()).ResponseAsync);
        await Pair.Range(Req.Range("m/", "m0"));
    }

    /// <summary>
    /// 3.4 vs 3.5 (etcd#11408, 3.5.0): etcd 3.4.23 hands the lock to a waiter whose key is gone; 3.5's
    /// Mutex checks its key after the wait and fails with "mutex: session is expired".
    /// </summary>
    [Fact]
    public async Task Waiter_whose_lease_was_revoked()
    {
        await Pair.Grant(0x41);
        await Pair.Grant(0x42);
        await Pair.Both(c => c.Lock.LockAsync(new LockRequest { Name = B("m"), Lease = 0x41 }).ResponseAsync);
        await Pair.Both35(
            c => ConcurrencyDiff.BlockedUntilAsync(
                c,
                () => c.Lock.LockAsync(new LockRequest { Name = B("m"), Lease = 0x42 }),
                "m/42",
                async () =>
                {
                    await c.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = 0x42 });
                    await c.Lock.UnlockAsync(new UnlockRequest { Key = B("m/41") });
                }),
            candidate => Assert.Equal((StatusCode.Unknown, "mutex: session is expired"), (candidate.Error?.StatusCode, candidate.Error?.Status.Detail)));
    }
}

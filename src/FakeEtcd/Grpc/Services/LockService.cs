using EtcdProtocol.V3Lockpb;
using FakeEtcd.Apply;
using FakeEtcd.Cluster;
using FakeEtcd.Concurrency;
using Grpc.Core;

namespace FakeEtcd.Grpc.Services;

/// <summary>v3lockpb.Lock over <see cref="EtcdMutex"/>; errors are Unknown with etcd's message.</summary>
internal sealed class LockService(Applier applier, KeyWaits waits, EtcdProfile profile) : EtcdProtocol.V3Lockpb.Lock.LockBase
{
    private readonly EtcdMutex _mutex = new(applier, waits, profile.MutexChecksKeyAfterWait);

    public override async Task<LockResponse> Lock(LockRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var response = await ConcurrencyErrors.Guard(() => _mutex.LockAsync(request, ct), ct).ConfigureAwait(false);
        return response;
    }

    public override async Task<UnlockResponse> Unlock(UnlockRequest request, ServerCallContext context)
    {
        var response = await ConcurrencyErrors.Guard(() => Task.FromResult(_mutex.Unlock(request)), context.CancellationToken).ConfigureAwait(false);
        return response;
    }
}

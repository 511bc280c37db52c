using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace FakeEtcd.Tests.Differential;

/// <summary>Helpers for election and lock differential tests: waiting for a blocked call's key without sleeping.</summary>
internal static class ConcurrencyDiff
{
    /// <summary>Completes when <paramref name="key"/> has been written: a watch from revision 1 sees it even if it already was.</summary>
    public static async Task WaitForPutAsync(EtcdClients clients, string key)
    {
        using var call = clients.Watch.Watch();
        await call.RequestStream.WriteAsync(new WatchRequest
        {
            CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFromUtf8(key), StartRevision = 1 },
        });
        while (await call.ResponseStream.MoveNext())
        {
            if (call.ResponseStream.Current.Events.Any(e => e.Type == Mvccpb.Event.Types.EventType.Put))
            {
                return;
            }
        }

        throw new InvalidOperationException($"the watch on {key} ended");
    }

    /// <summary>The outcome of a call that blocks until <paramref name="release"/> has run, once the call's own key exists.</summary>
    public static async Task<T> BlockedUntilAsync<T>(EtcdClients clients, Func<AsyncUnaryCall<T>> blocked, string blockedKey, Func<Task> release)
    {
        using var call = blocked();
        await WaitForPutAsync(clients, blockedKey);
        await release();
        return await call.ResponseAsync;
    }
}

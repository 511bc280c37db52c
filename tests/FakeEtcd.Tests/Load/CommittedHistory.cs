using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace FakeEtcd.Tests.Load;

/// <summary>The committed history of every key under the load's root, read back after the load.</summary>
internal static class CommittedHistory
{
    /// <summary>A fresh watch from revision 1 over the root, read until <paramref name="lastRevision"/>.</summary>
    public static async Task<IReadOnlyList<SeenEvent>> ReadAsync(CallInvoker invoker, long lastRevision, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = new Etcdserverpb.Watch.WatchClient(invoker).Watch(cancellationToken: stop.Token);
        await call.RequestStream.WriteAsync(
            new WatchRequest
            {
                CreateRequest = new WatchCreateRequest
                {
                    Key = ByteString.CopyFromUtf8(LoadProfile.Root),
                    RangeEnd = ByteString.CopyFromUtf8(WatcherFleet.PrefixEnd(LoadProfile.Root)),
                    StartRevision = 1,
                },
            },
            cancellationToken);
        var history = new List<SeenEvent>();
        while (history.Count == 0 || history[^1].Revision < lastRevision)
        {
            if (!await call.ResponseStream.MoveNext(cancellationToken))
            {
                throw new InvalidOperationException("history watch ended early");
            }

            history.AddRange(call.ResponseStream.Current.Events.Select(SeenEvent.From));
        }

        await stop.CancelAsync();
        return history;
    }

    /// <summary>The key space the history leaves behind, by replaying it.</summary>
    public static SortedDictionary<string, string> Replay(IEnumerable<SeenEvent> history)
    {
        var state = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in history)
        {
            if (e.IsDelete)
            {
                state.Remove(e.Key);
            }
            else
            {
                state[e.Key] = e.Value;
            }
        }

        return state;
    }
}

using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Election.Tests.Support;

/// <summary>The committed history of a key or prefix, read back with a watch from a past revision.</summary>
public static class KeyHistory
{
    public sealed record Entry(long Revision, bool IsDelete, string Key, long Lease);

    /// <summary>Every event on <paramref name="key"/> (with <paramref name="prefix"/>: every key under it) from <paramref name="from"/> through <paramref name="through"/>.</summary>
    public static async Task<IReadOnlyList<Entry>> ReadAsync(CallInvoker etcd, string key, long from, long through, bool prefix, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(20));
        using var call = new Watch.WatchClient(etcd).Watch(cancellationToken: stop.Token);
        var create = new WatchCreateRequest { Key = ByteString.CopyFromUtf8(key), StartRevision = from };
        if (prefix)
        {
            create.RangeEnd = ByteString.CopyFromUtf8(key[..^1] + (char)(key[^1] + 1));
        }

        await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = create }, stop.Token);
        var entries = new List<Entry>();
        while ((entries.Count == 0 || entries[^1].Revision < through) && await call.ResponseStream.MoveNext(stop.Token))
        {
            entries.AddRange(call.ResponseStream.Current.Events.Select(e => new Entry(
                e.Kv.ModRevision, e.Type == Mvccpb.Event.Types.EventType.Delete, e.Kv.Key.ToStringUtf8(), e.Kv.Lease)));
        }

        return [.. entries.Where(e => e.Revision <= through)];
    }
}

using Etcdserverpb;
using Google.Protobuf;

namespace FakeEtcd.Tests.Differential.Fuzz;

/// <summary>What a fuzz step does; the request message type follows from it.</summary>
public enum FuzzOpKind
{
    Range,
    Put,
    DeleteRange,
    Txn,
    Compact,
    LeaseGrant,
    LeaseRevoke,
    LeaseTimeToLive,
    LeaseLeases,
    LeaseKeepAlive,
    WatchCreate,
    WatchCancel,

    /// <summary>
    /// Not an etcd call: writes and deletes each open watcher's key, then waits until every watcher has
    /// delivered those events. After it, nothing is queued in etcd's send loop, so a following compaction
    /// or cancel cannot race undelivered events.
    /// </summary>
    WatchBarrier,
}

/// <summary>
/// One step of a fuzz sequence: a plain etcd request. Lease IDs of auto-granted leases are not
/// known in advance and differ per server, so requests name them by a placeholder
/// (<see cref="LeasePlaceholder"/>) that each side resolves to the ID its own grant returned.
/// </summary>
public sealed record FuzzOp(FuzzOpKind Kind, IMessage Request)
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    /// <summary>The k-th auto-granted lease (ID 0 in its LeaseGrant) of the sequence.</summary>
    public static long LeasePlaceholder(int ordinal) => LeasePlaceholders.Base + ordinal;

    public static FuzzOp Barrier() => new(FuzzOpKind.WatchBarrier, new WatchProgressRequest());

    /// <summary>Rebuilds an op from the JSON that <see cref="ToJson"/> wrote (used by printed repros).</summary>
    public static FuzzOp FromJson(FuzzOpKind kind, string json)
    {
        MessageParser parser = kind switch
        {
            FuzzOpKind.Range => RangeRequest.Parser,
            FuzzOpKind.Put => PutRequest.Parser,
            FuzzOpKind.DeleteRange => DeleteRangeRequest.Parser,
            FuzzOpKind.Txn => TxnRequest.Parser,
            FuzzOpKind.Compact => CompactionRequest.Parser,
            FuzzOpKind.LeaseGrant => LeaseGrantRequest.Parser,
            FuzzOpKind.LeaseRevoke => LeaseRevokeRequest.Parser,
            FuzzOpKind.LeaseTimeToLive => LeaseTimeToLiveRequest.Parser,
            FuzzOpKind.LeaseLeases => LeaseLeasesRequest.Parser,
            FuzzOpKind.LeaseKeepAlive => LeaseKeepAliveRequest.Parser,
            FuzzOpKind.WatchCreate => WatchCreateRequest.Parser,
            FuzzOpKind.WatchCancel => WatchCancelRequest.Parser,
            _ => WatchProgressRequest.Parser,
        };
        return new FuzzOp(kind, parser.ParseJson(json));
    }

    public string ToJson() => Json.Format(Request);

    public override string ToString() => $"{Kind} {{ {ProtoText.Format(Request).ReplaceLineEndings(" ")} }}";
}

/// <summary>The reserved ID range that stands for auto-granted leases in fuzz requests.</summary>
internal static class LeasePlaceholders
{
    public const long Base = 0x7A00_0000_0000_0000;

    public static bool TryOrdinal(long id, out int ordinal)
    {
        ordinal = (int)(id - Base);
        return id >= Base && id < Base + 1_000_000;
    }
}

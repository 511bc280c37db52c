using System.Text;

namespace Election;

/// <summary>A candidate key of an election as etcd stores it.</summary>
/// <param name="Key">The full key, <c>&lt;prefix&gt;/&lt;lease hex&gt;</c>.</param>
/// <param name="Value">The proclaimed value.</param>
/// <param name="CreateRevision">When the candidate joined; the lowest one leads. Usable as a fencing token.</param>
/// <param name="ModRevision">The last proclamation.</param>
/// <param name="LeaseId">The candidate's session lease.</param>
/// <param name="Revision">The store revision the answer was read at (Go's response header revision).</param>
public sealed record LeaderKey(string Key, ReadOnlyMemory<byte> Value, long CreateRevision, long ModRevision, long LeaseId, long Revision)
{
    /// <summary>The value as UTF-8 text.</summary>
    public string ValueText => Encoding.UTF8.GetString(Value.Span);

    internal static LeaderKey From(EtcdProtocol.Mvccpb.KeyValue kv, long revision) =>
        new(kv.Key.ToStringUtf8(), kv.Value.ToByteArray(), kv.CreateRevision, kv.ModRevision, kv.Lease, revision);
}

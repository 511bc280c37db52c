using System.Collections;
using Etcdserverpb;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// Rewrites the fields two servers legitimately disagree on: header cluster_id, member_id and
/// raft_term (random per cluster), and optionally lease IDs (generated from the member ID and the
/// clock), which become 1, 2, 3... in order of first appearance. One instance per server, so the
/// same lease keeps the same ordinal across the steps of a test.
/// </summary>
public sealed class ResponseMask(bool maskLeaseIds)
{
    // (message, field) pairs that carry a server-generated lease ID.
    private static readonly HashSet<(string Message, string Field)> LeaseIdFields =
    [
        ("mvccpb.KeyValue", "lease"),
        ("etcdserverpb.LeaseGrantResponse", "ID"),
        ("etcdserverpb.LeaseKeepAliveResponse", "ID"),
        ("etcdserverpb.LeaseTimeToLiveResponse", "ID"),
        ("etcdserverpb.LeaseStatus", "ID"),
    ];

    private readonly Dictionary<long, long> _leaseOrdinals = [];

    public T Apply<T>(T response)
        where T : class, IMessage<T>
    {
        var copy = response.Clone();
        Walk(copy);
        return copy;
    }

    private void Walk(IMessage message)
    {
        if (message is ResponseHeader header)
        {
            header.ClusterId = 0;
            header.MemberId = 0;
            header.RaftTerm = 0;
            return;
        }

        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType == FieldType.Message)
            {
                WalkNested(field, message);
            }
            else if (maskLeaseIds && LeaseIdFields.Contains((message.Descriptor.FullName, field.Name)))
            {
                var id = (long)field.Accessor.GetValue(message);
                field.Accessor.SetValue(message, Ordinal(id));
            }
        }
    }

    private void WalkNested(FieldDescriptor field, IMessage message)
    {
        var value = field.Accessor.GetValue(message);
        if (field.IsRepeated)
        {
            foreach (var item in (IList)value)
            {
                Walk((IMessage)item);
            }
        }
        else if (value is IMessage nested)
        {
            Walk(nested);
        }
    }

    private long Ordinal(long id)
    {
        if (id == 0)
        {
            return 0;
        }

        if (!_leaseOrdinals.TryGetValue(id, out var ordinal))
        {
            ordinal = _leaseOrdinals.Count + 1;
            _leaseOrdinals[id] = ordinal;
        }

        return ordinal;
    }
}

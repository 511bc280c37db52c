using Etcdserverpb;
using Grpc.Core;
using Mvccpb;
using static FakeEtcd.Tests.Differential.Req;

namespace FakeEtcd.Tests.Differential;

/// <summary>The comparer itself, without servers: what it masks and what it must still catch.</summary>
public sealed class HarnessSelfTests
{
    private static RangeResponse Response(ulong member, long revision, long lease = 0) => new()
    {
        Header = new ResponseHeader { ClusterId = member + 1, MemberId = member, RaftTerm = member % 7, Revision = revision },
        Kvs = { new KeyValue { Key = B("k"), Value = B("v"), Lease = lease, Version = 1 } },
        Count = 1,
    };

    private static Outcome<T> Ok<T>(T message)
        where T : class, Google.Protobuf.IMessage<T>
        => Outcome<T>.CaptureAsync(() => Task.FromResult(message)).Result;

    private static Outcome<RangeResponse> Error(StatusCode code, string detail)
        => Outcome<RangeResponse>.CaptureAsync(() => throw new RpcException(new Status(code, detail))).Result;

    [Fact]
    public void Header_identity_fields_are_masked_but_revision_is_not()
    {
        var mask = new ResponseMask(maskLeaseIds: false);
        var a = Ok(mask.Apply(Response(11, 5)));
        var b = Ok(mask.Apply(Response(22, 5)));
        var c = Ok(mask.Apply(Response(22, 6)));
        Assert.True(a.SameAs(b));
        Assert.False(a.SameAs(c));
    }

    [Fact]
    public void Lease_ids_map_to_ordinals_per_server()
    {
        var left = new ResponseMask(maskLeaseIds: true);
        var right = new ResponseMask(maskLeaseIds: true);
        Assert.True(Ok(left.Apply(Response(1, 2, lease: 0x1111))).SameAs(Ok(right.Apply(Response(1, 2, lease: 0x9999)))));
        // A second lease on one side only must still be told apart.
        Assert.False(Ok(left.Apply(Response(1, 2, lease: 0x2222))).SameAs(Ok(right.Apply(Response(1, 2, lease: 0x9999)))));
        Assert.Equal(0, left.Apply(Response(1, 2)).Kvs[0].Lease);
    }

    [Fact]
    public void Lease_ids_are_compared_when_not_masked()
    {
        var mask = new ResponseMask(maskLeaseIds: false);
        Assert.False(Ok(mask.Apply(Response(1, 2, lease: 1))).SameAs(Ok(mask.Apply(Response(1, 2, lease: 2)))));
    }

    [Fact]
    public void Errors_compare_code_and_exact_detail()
    {
        var tooLarge = Error(StatusCode.InvalidArgument, "etcdserver: request is too large");
        Assert.True(tooLarge.SameAs(Error(StatusCode.InvalidArgument, "etcdserver: request is too large")));
        Assert.False(tooLarge.SameAs(Error(StatusCode.InvalidArgument, "etcdserver: request is too large ")));
        Assert.False(tooLarge.SameAs(Error(StatusCode.OutOfRange, "etcdserver: request is too large")));
        Assert.False(tooLarge.SameAs(Ok(Response(1, 1))));
        Assert.False(Ok(Response(1, 1)).SameAs(tooLarge));
    }

    [Fact]
    public void Text_dump_shows_bytes_readably()
    {
        var text = ProtoText.Format(new PutRequest { Key = B("a\0\"b"), Value = Google.Protobuf.ByteString.CopyFrom(0xff) });
        Assert.Equal("key: \"a\\x00\\\"b\"\nvalue: \"\\xff\"", text);
        Assert.Contains("(100 bytes, sha256 ", ProtoText.Format(new PutRequest { Key = B(new string('x', 100)) }), StringComparison.Ordinal);
        Assert.Equal("sort_order: Descend", ProtoText.Format(new RangeRequest { SortOrder = RangeRequest.Types.SortOrder.Descend }));
    }

    [Fact]
    public void Long_values_that_differ_after_the_shown_head_format_differently()
    {
        var a = ProtoText.Format(new PutRequest { Value = B(new string('x', 99) + "a") });
        var b = ProtoText.Format(new PutRequest { Value = B(new string('x', 99) + "b") });
        Assert.NotEqual(a, b);
        Assert.Equal(a, ProtoText.Format(new PutRequest { Value = B(new string('x', 99) + "a") }));
    }

    [Fact]
    public void Watch_responses_compare_as_whole_messages_per_watch_id()
    {
        WatchResponse Event(long id, string value) => new()
        {
            WatchId = id,
            Events = { new Event { Kv = new KeyValue { Key = B("k"), Value = B(new string('v', 99) + value) } } },
        };
        WatchResponse[] reference = [Event(0, "1"), Event(1, "1"), Event(0, "2")];
        Assert.True(WatchDiff.SamePerWatchId(reference, [Event(1, "1"), Event(0, "1"), Event(0, "2")])); // across ids: any order
        Assert.False(WatchDiff.SamePerWatchId(reference, [Event(0, "2"), Event(1, "1"), Event(0, "1")])); // within one id: reordered
        Assert.False(WatchDiff.SamePerWatchId(reference, [Event(0, "1"), Event(1, "1"), Event(0, "3")])); // last byte differs
        Assert.False(WatchDiff.SamePerWatchId(reference, [.. reference, Event(1, "1")]));                   // one extra
        Assert.False(WatchDiff.SamePerWatchId(reference, reference[..2]));                                  // one missing
    }

    [Fact]
    public void Oneof_members_set_to_zero_are_shown()
    {
        // A compare with create_revision = 0 is not the same request as one with no target value.
        var text = ProtoText.Format(new Compare { Key = B("k"), CreateRevision = 0 });
        Assert.Contains("create_revision: 0", text, StringComparison.Ordinal);
    }
}

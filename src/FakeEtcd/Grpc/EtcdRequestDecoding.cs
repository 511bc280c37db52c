using System.Buffers;
using Google.Protobuf;
using Grpc.Core;

namespace FakeEtcd.Grpc;

/// <summary>
/// Request decoding with etcd's outcomes. Google.Protobuf stops at 100 nested messages, where etcd's
/// decoder has no limit: a txn nested 50 deep (two messages per level) is valid in etcd, and its op
/// budget (--max-txn-ops, shared down the nesting) allows up to 128 levels. Undecodable bytes get
/// grpc-go's status: Internal "grpc: error unmarshalling request: ..." (the tail is the decoder's own
/// text in grpc-go; the common ones are mapped to Go's words, no client reads them).
/// </summary>
internal static class EtcdRequestDecoding
{
    /// <summary>Deep enough for any txn etcd's op budget accepts (2 messages per level, 128 levels), bounded for the stack.</summary>
    internal const int RecursionLimit = 600;

    public static Marshaller<T> Wrap<T>(Marshaller<T> inner)
        where T : class
    {
        var parser = typeof(T).GetProperty("Parser")?.GetValue(null) as MessageParser;
        return new Marshaller<T>(inner.ContextualSerializer, context => Decode(inner, parser, context));
    }

    private static T Decode<T>(Marshaller<T> inner, MessageParser? parser, DeserializationContext context)
        where T : class
    {
        try
        {
            return inner.ContextualDeserializer(context);
        }
        catch (InvalidProtocolBufferException) when (parser is not null && TryDeep(parser, context, out var deep))
        {
            return (T)deep;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new RpcException(new Status(StatusCode.Internal, "grpc: error unmarshalling request: " + GoText(e)));
        }
    }

    /// <summary>Parses again with a higher recursion limit; false if the bytes are bad for another reason.</summary>
    private static bool TryDeep(MessageParser parser, DeserializationContext context, out IMessage message)
    {
        try
        {
            var input = CodedInputStream.CreateWithLimits(
                new MemoryStream(context.PayloadAsReadOnlySequence().ToArray()), int.MaxValue, RecursionLimit);
            message = parser.ParseFrom(input);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            message = null!;
            return false;
        }
    }

    private static string GoText(InvalidProtocolBufferException e) => e.Message switch
    {
        var m when m.Contains("ended unexpectedly", StringComparison.Ordinal) || m.Contains("truncated", StringComparison.Ordinal) => "unexpected EOF",
        var m when m.Contains("malformed varint", StringComparison.Ordinal) => "proto: integer overflow",
        var m when m.Contains("invalid wire type", StringComparison.Ordinal) => "proto: illegal wireType",
        var m => m,
    };
}

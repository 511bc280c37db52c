using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Grpc.Core;

namespace FakeEtcd.Grpc;

/// <summary>
/// The bytes of gRPC messages the server received and sent, counted where etcd counts them (its
/// codec: the marshalled message, without gRPC's framing), for <c>/metrics</c>'
/// <c>etcd_network_client_grpc_received_bytes_total</c> and <c>..._sent_bytes_total</c>; and the
/// calls by type and client API version, for <c>etcd_server_client_requests_total</c>.
/// </summary>
internal sealed class GrpcTraffic
{
    [ThreadStatic]
    private static CountingSerializationContext? _reusable;

    private readonly ConcurrentDictionary<(string Type, string Version), StrongBox<long>> _requests = new();
    private long _received;
    private long _sent;

    public long ReceivedBytes => Interlocked.Read(ref _received);

    public long SentBytes => Interlocked.Read(ref _sent);

    /// <summary>Calls so far by (type: unary or stream, the client's <c>client-api-version</c> header or "unknown"), sorted as Prometheus writes labels.</summary>
    public IReadOnlyList<(string Type, string Version, long Count)> Requests =>
        [.. _requests.Select(r => (r.Key.Type, r.Key.Version, Interlocked.Read(ref r.Value.Value))).OrderBy(r => r.Version, StringComparer.Ordinal).ThenBy(r => r.Type, StringComparer.Ordinal)];

    /// <summary>A call started: <paramref name="stream"/> for streaming calls, <paramref name="clientApiVersion"/> as the client sent it.</summary>
    public void Request(bool stream, string? clientApiVersion)
    {
        var counter = _requests.GetOrAdd((stream ? "stream" : "unary", clientApiVersion ?? "unknown"), static _ => new StrongBox<long>());
        Interlocked.Increment(ref counter.Value);
    }

    /// <summary><paramref name="inner"/> with its messages counted: requests as they are decoded, responses as they are encoded.</summary>
    public Marshaller<T> Count<T>(Marshaller<T> inner, bool requests) => requests
        ? new Marshaller<T>(inner.ContextualSerializer, context =>
        {
            Interlocked.Add(ref _received, context.PayloadLength);
            return inner.ContextualDeserializer(context);
        })
        : new Marshaller<T>(
            (message, context) =>
            {
                // Serialisation is synchronous, so one wrapper per thread serves every message.
                var counting = _reusable ??= new CountingSerializationContext();
                counting.Inner = context;
                try
                {
                    inner.ContextualSerializer(message, counting);
                    Interlocked.Add(ref _sent, counting.Length);
                }
                finally
                {
                    counting.Inner = null;
                    counting.Length = 0;
                }
            },
            inner.ContextualDeserializer);

    /// <summary>Forwards to the transport's context and notes the payload's length as the serializer declares or hands it.</summary>
    private sealed class CountingSerializationContext : SerializationContext
    {
        public SerializationContext? Inner { get; set; }

        public long Length { get; set; }

        public override void Complete(byte[] payload)
        {
            Length = payload.Length;
            Inner!.Complete(payload);
        }

        public override void SetPayloadLength(int payloadLength)
        {
            Length = payloadLength;
            Inner!.SetPayloadLength(payloadLength);
        }

        public override IBufferWriter<byte> GetBufferWriter() => Inner!.GetBufferWriter();

        public override void Complete() => Inner!.Complete();
    }
}

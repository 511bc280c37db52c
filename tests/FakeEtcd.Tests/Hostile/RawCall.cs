using Grpc.Core;
using Grpc.Net.Client;

namespace FakeEtcd.Tests.Hostile;

/// <summary>gRPC calls with hand-made message bytes, for garbage and unknown methods.</summary>
public static class RawCall
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    /// <summary>Unary call returning the raw answer wrapped as an (empty-schema) message; throws RpcException on error.</summary>
    public static async Task<Etcdserverpb.ResponseHeader> UnaryAsync(Uri url, string service, string method, byte[] request)
    {
        using var channel = GrpcChannel.ForAddress(url);
        var call = new Method<byte[], byte[]>(MethodType.Unary, service, method, Bytes, Bytes);
        var answer = await channel.CreateCallInvoker().AsyncUnaryCall(call, null, new CallOptions(), request);
        return new Etcdserverpb.ResponseHeader { Revision = answer.Length };
    }

    /// <summary>The status of a unary call with <paramref name="request"/> as the message body.</summary>
    public static async Task<(StatusCode Code, string Detail)> CaptureAsync(Uri url, string service, string method, byte[] request)
    {
        try
        {
            await UnaryAsync(url, service, method, request);
            return (StatusCode.OK, "");
        }
        catch (RpcException e)
        {
            return (e.StatusCode, e.Status.Detail);
        }
    }
}

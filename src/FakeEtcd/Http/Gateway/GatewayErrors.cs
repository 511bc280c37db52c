using System.Text.Json;
using Grpc.Core;

namespace FakeEtcd.Http.Gateway;

/// <summary>How etcd's grpc-gateway (v1) turns a gRPC status into HTTP: its status code table and bodies.</summary>
internal static class GatewayErrors
{
    /// <summary>grpc-gateway's <c>HTTPStatusFromCode</c>.</summary>
    public static int HttpStatus(StatusCode code) => code switch
    {
        StatusCode.OK => 200,
        StatusCode.Cancelled => 408,
        StatusCode.Unknown => 500,
        StatusCode.InvalidArgument => 400,
        StatusCode.DeadlineExceeded => 504,
        StatusCode.NotFound => 404,
        StatusCode.AlreadyExists => 409,
        StatusCode.PermissionDenied => 403,
        StatusCode.Unauthenticated => 401,
        StatusCode.ResourceExhausted => 429,
        StatusCode.FailedPrecondition => 412,
        StatusCode.Aborted => 409,
        StatusCode.OutOfRange => 400,
        StatusCode.Unimplemented => 501,
        StatusCode.Internal => 500,
        StatusCode.Unavailable => 503,
        StatusCode.DataLoss => 500,
        _ => 500,
    };

    /// <summary>The body of a failed unary call.</summary>
    public static byte[] UnaryBody(Status status) => Write(writer =>
    {
        writer.WriteString("error", status.Detail);
        writer.WriteString("message", status.Detail);
        writer.WriteNumber("code", (int)status.StatusCode);
    });

    /// <summary>The chunk that ends a failed stream.</summary>
    public static byte[] StreamChunk(Status status) => Write(writer =>
    {
        writer.WriteStartObject("error");
        if (status.StatusCode != StatusCode.OK)
        {
            writer.WriteNumber("grpc_code", (int)status.StatusCode);
        }

        var http = HttpStatus(status.StatusCode);
        writer.WriteNumber("http_code", http);
        if (status.Detail.Length > 0)
        {
            writer.WriteString("message", status.Detail);
        }

        writer.WriteString("http_status", ReasonPhrase(http));
        writer.WriteEndObject();
    });

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}

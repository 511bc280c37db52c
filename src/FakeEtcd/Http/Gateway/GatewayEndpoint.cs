using System.Buffers;
using System.IO.Pipelines;
using FakeEtcd.Http.Responses;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace FakeEtcd.Http.Gateway;

/// <summary>
/// One grpc-gateway request: the JSON body becomes the gRPC request, the gRPC answer becomes JSON.
/// Unary calls answer one object; streams answer one <c>{"result":…}</c> line per message, flushed as
/// it comes, and end with an <c>{"error":…}</c> line when the call fails, as etcd's gateway does.
/// </summary>
internal static class GatewayEndpoint
{
    private const string JsonContentType = "application/json";
    private const string MetadataHeaderPrefix = "Grpc-Metadata-";

    public static async Task HandleAsync(HttpContext http, MethodDescriptor descriptor, GatewayCalls calls)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            await PlainText.WriteAsync(http, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed").ConfigureAwait(false);
            return;
        }

        var invoker = await calls.InvokerAsync().ConfigureAwait(false);
        var method = calls.MethodFor(descriptor);
        var options = new CallOptions(Metadata(http.Request.Headers), cancellationToken: http.RequestAborted);
        var body = new RequestBody(http.Request.BodyReader, descriptor.InputType);
        try
        {
            if (!descriptor.IsClientStreaming && !descriptor.IsServerStreaming)
            {
                var request = await body.FirstAsync().ConfigureAwait(false) ?? Empty(descriptor);
                var response = await invoker.AsyncUnaryCall(method, null, options, request).ConfigureAwait(false);
                ForwardedHeaders(http);
                await Respond.WriteAsync(http, StatusCodes.Status200OK, JsonContentType, GatewayJson.Format(response)).ConfigureAwait(false);
            }
            else if (!descriptor.IsClientStreaming)
            {
                var request = await body.FirstAsync().ConfigureAwait(false) ?? Empty(descriptor);
                using var call = invoker.AsyncServerStreamingCall(method, null, options, request);
                await StreamAsync(http, call.ResponseStream).ConfigureAwait(false);
            }
            else
            {
                IMessage? first;
                try
                {
                    first = await body.FirstAsync().ConfigureAwait(false);
                }
                catch (InvalidDataException e)
                {
                    // etcd's gateway passes a stream's decoding error on as it is: not a status, so Unknown.
                    await WriteErrorAsync(http, new Status(StatusCode.Unknown, e.Message)).ConfigureAwait(false);
                    return;
                }

                using var call = invoker.AsyncDuplexStreamingCall(method, null, options);
                if (first is null)
                {
                    await call.RequestStream.CompleteAsync().ConfigureAwait(false);
                }
                else
                {
                    await call.RequestStream.WriteAsync(first, http.RequestAborted).ConfigureAwait(false);
                    _ = SendRestAsync(body, call.RequestStream);
                }

                await StreamAsync(http, call.ResponseStream).ConfigureAwait(false);
            }
        }
        catch (RpcException e) when (!http.Response.HasStarted)
        {
            await WriteErrorAsync(http, e.Status).ConfigureAwait(false);
        }
        catch (InvalidDataException e) when (!http.Response.HasStarted)
        {
            await WriteErrorAsync(http, new Status(StatusCode.InvalidArgument, e.Message)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The HTTP client went away; the call was cancelled with it.
        }
    }

    private static IMessage Empty(MethodDescriptor descriptor) => descriptor.InputType.Parser.ParseFrom(ByteString.Empty);

    private static async Task SendRestAsync(RequestBody body, IClientStreamWriter<IMessage> requests)
    {
        try
        {
            while (await body.NextAsync().ConfigureAwait(false) is { } next)
            {
                await requests.WriteAsync(next).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or RpcException or OperationCanceledException or InvalidOperationException)
        {
            // As etcd's gateway: a body that stops parsing, or a call that ended, ends the sending side.
        }

        try
        {
            await requests.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or OperationCanceledException)
        {
            // The call is over already.
        }
    }

    /// <summary>The response header metadata etcd's gateway forwards: the gRPC content type.</summary>
    private static void ForwardedHeaders(HttpContext http) => http.Response.Headers["Grpc-Metadata-Content-Type"] = "application/grpc";

    private static async Task StreamAsync(HttpContext http, IAsyncStreamReader<IMessage> responses)
    {
        http.Response.ContentType = JsonContentType;
        ForwardedHeaders(http);
        try
        {
            while (await responses.MoveNext(http.RequestAborted).ConfigureAwait(false))
            {
                var writer = http.Response.BodyWriter;
                writer.Write("{\"result\":"u8);
                writer.Write(GatewayJson.Format(responses.Current));
                writer.Write("}\n"u8);
                await writer.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (RpcException e) when (!http.RequestAborted.IsCancellationRequested)
        {
            if (!http.Response.HasStarted)
            {
                http.Response.StatusCode = GatewayErrors.HttpStatus(e.StatusCode);
            }

            await http.Response.Body.WriteAsync(GatewayErrors.StreamChunk(e.Status)).ConfigureAwait(false);
        }
    }

    private static Task WriteErrorAsync(HttpContext http, Status status) =>
        Respond.WriteAsync(http, GatewayErrors.HttpStatus(status.StatusCode), JsonContentType, GatewayErrors.UnaryBody(status));

    /// <summary>What grpc-gateway forwards: Authorization, and Grpc-Metadata-* headers without their prefix.</summary>
    private static Metadata Metadata(IHeaderDictionary headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers)
        {
            var key = name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ? "authorization"
                : name.StartsWith(MetadataHeaderPrefix, StringComparison.OrdinalIgnoreCase) ? name[MetadataHeaderPrefix.Length..].ToLowerInvariant()
                : null;
            if (key is null || key.EndsWith(global::Grpc.Core.Metadata.BinaryHeaderSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var value in values)
            {
                metadata.Add(key, value ?? string.Empty);
            }
        }

        return metadata;
    }

    /// <summary>A request body read as a sequence of JSON values, one message each.</summary>
    private sealed class RequestBody(PipeReader reader, MessageDescriptor type)
    {
        /// <summary>The first message, or null for an empty body (the empty request).</summary>
        public ValueTask<IMessage?> FirstAsync() => NextAsync();

        /// <summary>The next message, or null at the body's end; a malformed one is <see cref="InvalidDataException"/>.</summary>
        public async ValueTask<IMessage?> NextAsync()
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                var data = buffer.IsSingleSegment ? buffer.FirstSpan : buffer.ToArray();
                if (IsWhitespace(data) && result.IsCompleted)
                {
                    reader.AdvanceTo(buffer.End);
                    return null;
                }

                int length;
                try
                {
                    length = GatewayJson.CompleteValueLength(data, result.IsCompleted);
                }
                catch (System.Text.Json.JsonException e)
                {
                    var message = GatewayJson.SyntaxError(data, e);
                    reader.AdvanceTo(buffer.End);
                    throw new InvalidDataException(message, e);
                }

                if (length > 0)
                {
                    IMessage message;
                    try
                    {
                        message = GatewayJson.Parse(type, data[..length]);
                    }
                    catch (Exception e) when (e is InvalidProtocolBufferException or IOException or FormatException)
                    {
                        throw new InvalidDataException(e.Message, e);
                    }
                    finally
                    {
                        reader.AdvanceTo(buffer.GetPosition(length));
                    }

                    return message;
                }

                if (result.IsCompleted)
                {
                    reader.AdvanceTo(buffer.End);
                    throw new InvalidDataException(data.TrimStart(" \t\r\n"u8).IsEmpty ? "EOF" : "unexpected EOF");
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }

        private static bool IsWhitespace(ReadOnlySpan<byte> data) => data.Trim(" \t\r\n"u8).IsEmpty;
    }
}

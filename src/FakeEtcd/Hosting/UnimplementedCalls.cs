using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FakeEtcd.Hosting;

/// <summary>
/// Answers calls to an unknown service or method the way etcd's grpc-go server does: Unimplemented with
/// "unknown service S" or "unknown method M for service S" (ASP.NET Core's own text differs).
/// </summary>
internal static class UnimplementedCalls
{
    private const string UnimplementedPrefix = "gRPC - Unimplemented";

    public static void UseGoUnimplementedMessages(this WebApplication app) => app.Use(async (context, next) =>
    {
        var name = context.GetEndpoint()?.DisplayName;
        if (name is null || !name.StartsWith(UnimplementedPrefix, StringComparison.Ordinal))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var path = context.Request.Path.Value ?? "/";
        var slash = path.IndexOf('/', 1);
        var (service, method) = slash < 0 ? (path[1..], string.Empty) : (path[1..slash], path[(slash + 1)..]);
        var message = name.Contains("service", StringComparison.OrdinalIgnoreCase) && !name.Contains(" for ", StringComparison.Ordinal)
            ? $"unknown service {service}"
            : $"unknown method {method} for service {service}";

        // A trailers-only response: the status rides in the headers of an empty reply.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = "12";
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message).Replace("%20", " ", StringComparison.Ordinal);
        await context.Response.CompleteAsync().ConfigureAwait(false);
    });
}

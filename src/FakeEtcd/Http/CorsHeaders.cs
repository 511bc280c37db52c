using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FakeEtcd.Http;

/// <summary>
/// etcd's default CORS answer (<c>--cors</c> "*") on every HTTP request that is not gRPC, and its
/// empty 200 to a preflight <c>OPTIONS</c>.
/// </summary>
internal static class CorsHeaders
{
    public static void UseEtcdCors(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) ?? false)
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        var headers = http.Response.Headers;
        headers.AccessControlAllowMethods = "POST, GET, OPTIONS, PUT, DELETE";
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlAllowHeaders = "accept, content-type, authorization";
        if (HttpMethods.IsOptions(http.Request.Method))
        {
            http.Response.ContentLength = 0;
            return;
        }

        await next(http).ConfigureAwait(false);
    });
}

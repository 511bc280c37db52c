using FakeEtcd.Cluster;
using FakeEtcd.Http.Responses;
using Microsoft.AspNetCore.Http;

namespace FakeEtcd.Http;

/// <summary>
/// <c>GET /health</c> as etcd serves it: <c>{"health":"true"}</c> (3.5 adds <c>"reason"</c>). A single
/// member is always its own leader and FakeEtcd raises no alarm, so it is healthy while it serves;
/// <c>?exclude=</c> and <c>?serializable=</c> are accepted as etcd accepts them.
/// </summary>
internal static class HealthEndpoint
{
    public static Task HandleAsync(HttpContext http, EtcdProfile profile)
    {
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            return PlainText.MethodNotAllowedAsync(http, allow: "GET");
        }

        // etcd writes no Content-Type, so Go's sniffing names it.
        return Respond.WriteAsync(http, StatusCodes.Status200OK, "text/plain; charset=utf-8", profile.HealthHasReason ? """{"health":"true","reason":""}""" : """{"health":"true"}""");
    }
}

using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using FakeEtcd.Cluster;
using FakeEtcd.Http.Responses;
using Microsoft.AspNetCore.Http;

namespace FakeEtcd.Http;

/// <summary>
/// <c>GET /health</c> as etcd serves it: <c>{"health":"true"}</c> (3.5 adds <c>"reason"</c>), or a 503
/// with <c>"false"</c> while an alarm not named in <c>?exclude=</c> is active. A single member is always
/// its own leader, so no other check can fail; <c>?serializable=</c> is accepted as etcd accepts it.
/// </summary>
internal static class HealthEndpoint
{
    public static Task HandleAsync(HttpContext http, Applier applier, EtcdProfile profile)
    {
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            return PlainText.MethodNotAllowedAsync(http, allow: "GET");
        }

        var excluded = http.Request.Query["exclude"];
        var alarm = applier.ActiveAlarms().FirstOrDefault(a => !excluded.Contains(a.Alarm.ToString().ToUpperInvariant()));
        if (alarm is not null)
        {
            // etcd answers through Go's http.Error: plain text, a newline, 503.
            return PlainText.WriteAsync(
                http,
                StatusCodes.Status503ServiceUnavailable,
                profile.HealthHasReason ? $$"""{"health":"false","reason":"{{Reason(alarm.Alarm)}}"}""" : """{"health":"false"}""");
        }

        // etcd writes no Content-Type, so Go's sniffing names it.
        return Respond.WriteAsync(http, StatusCodes.Status200OK, "text/plain; charset=utf-8", profile.HealthHasReason ? """{"health":"true","reason":""}""" : """{"health":"true"}""");
    }

    private static string Reason(AlarmType alarm) => alarm switch
    {
        AlarmType.Nospace => "ALARM NOSPACE",
        AlarmType.Corrupt => "ALARM CORRUPT",
        _ => "ALARM UNKNOWN",
    };
}

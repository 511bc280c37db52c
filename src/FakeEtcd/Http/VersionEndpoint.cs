using FakeEtcd.Cluster;
using FakeEtcd.Http.Responses;
using Microsoft.AspNetCore.Http;

namespace FakeEtcd.Http;

/// <summary><c>GET /version</c>: the server's release and the cluster version (major.minor.0), as etcd answers.</summary>
internal static class VersionEndpoint
{
    public static Task HandleAsync(HttpContext http, EtcdProfile profile)
    {
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            return PlainText.MethodNotAllowedAsync(http, allow: "GET");
        }

        return Respond.WriteAsync(http, StatusCodes.Status200OK, "application/json", $$"""{"etcdserver":"{{profile.Version}}","etcdcluster":"{{ClusterVersion(profile.Version)}}"}""");
    }

    /// <summary>etcd's cluster version: the members' lowest major.minor, with patch 0.</summary>
    public static string ClusterVersion(string serverVersion)
    {
        var parts = serverVersion.Split('.');
        return $"{parts[0]}.{parts[1]}.0";
    }
}

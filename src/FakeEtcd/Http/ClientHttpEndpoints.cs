using FakeEtcd.Apply;
using FakeEtcd.Cluster;
using FakeEtcd.Grpc;
using FakeEtcd.Http.Gateway;
using FakeEtcd.Http.Responses;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FakeEtcd.Http;

/// <summary>
/// What etcd serves over HTTP on its client port next to gRPC: <c>/health</c>, <c>/version</c>,
/// <c>/metrics</c> and the grpc-gateway JSON API under <c>/v3/</c> (and <c>/v3beta/</c>, which etcd 3.4
/// rewrites to <c>/v3/</c>); anything else is Go's "404 page not found".
/// </summary>
internal static class ClientHttpEndpoints
{
    public static void MapClientHttpEndpoints(this IEndpointRouteBuilder app)
    {
        var profile = app.ServiceProvider.GetRequiredService<EtcdProfile>();
        var applier = app.ServiceProvider.GetRequiredService<Applier>();
        var calls = app.ServiceProvider.GetRequiredService<GatewayCalls>();
        var traffic = app.ServiceProvider.GetRequiredService<GrpcTraffic>();
        app.Map("/health", http => HealthEndpoint.HandleAsync(http, applier, profile));
        app.Map("/version", http => VersionEndpoint.HandleAsync(http, profile));
        app.Map("/metrics", http => MetricsEndpoint.HandleAsync(http, applier, profile, traffic));
        foreach (var (path, method) in GatewayRoutes.All)
        {
            app.Map(path, http => GatewayEndpoint.HandleAsync(http, method, calls));
            app.Map("/v3beta" + path["/v3".Length..], http => GatewayEndpoint.HandleAsync(http, method, calls));
        }

        app.Map("/v3/{**rest}", http => PlainText.WriteAsync(http, StatusCodes.Status404NotFound, "Not Found"));
        app.Map("/v3beta/{**rest}", http => PlainText.WriteAsync(http, StatusCodes.Status404NotFound, "Not Found"));
        app.MapFallback(http => PlainText.WriteAsync(http, StatusCodes.Status404NotFound, "404 page not found"));
    }
}

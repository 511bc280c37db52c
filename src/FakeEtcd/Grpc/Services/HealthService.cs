using EtcdProtocol.Health;
using Grpc.Core;

namespace FakeEtcd.Grpc.Services;

/// <summary>
/// grpc.health.v1.Health as etcd registers it (grpc-go's health server): the empty service name is
/// SERVING, any other is unknown.
/// </summary>
internal sealed class HealthService : Health.HealthBase
{
    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) =>
        request.Service.Length == 0
            ? Task.FromResult(new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.Serving })
            : throw new RpcException(new Status(StatusCode.NotFound, "unknown service"));

    /// <summary>Sends the status once; it never changes while the server serves.</summary>
    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        var status = request.Service.Length == 0 ? HealthCheckResponse.Types.ServingStatus.Serving : HealthCheckResponse.Types.ServingStatus.ServiceUnknown;
        await responseStream.WriteAsync(new HealthCheckResponse { Status = status }).ConfigureAwait(false);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (context.CancellationToken.Register(() => ended.TrySetResult()))
        {
            await ended.Task.ConfigureAwait(false);
        }

        throw new RpcException(new Status(StatusCode.Cancelled, "Stream has ended."));
    }
}

using EtcdProtocol.Health;
using Grpc.Core;
using Grpc.Net.Client;
using ServingStatus = EtcdProtocol.Health.HealthCheckResponse.Types.ServingStatus;

namespace FakeEtcd.Tests.Differential.Http;

/// <summary>grpc.health.v1.Health on the client port, as etcd registers it: "" is SERVING, any other name unknown.</summary>
public sealed class GrpcHealthDiffTests : KvDifferentialTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Check_and_Watch_answer_as_etcd_s()
    {
        var answers = new List<string>();
        foreach (var side in new[] { Pair.Reference, Pair.Candidate })
        {
            using var channel = GrpcChannel.ForAddress(side.Endpoint.ClientUrl);
            var health = new Health.HealthClient(channel);
            var serving = await health.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct);
            var unknown = await Assert.ThrowsAsync<RpcException>(async () => await health.CheckAsync(new HealthCheckRequest { Service = "etcdserverpb.KV" }, cancellationToken: Ct));
            using var watch = health.Watch(new HealthCheckRequest(), cancellationToken: Ct);
            Assert.True(await watch.ResponseStream.MoveNext(Ct));
            using var watchUnknown = health.Watch(new HealthCheckRequest { Service = "x" }, cancellationToken: Ct);
            Assert.True(await watchUnknown.ResponseStream.MoveNext(Ct));
            answers.Add($"{serving.Status} {unknown.StatusCode} '{unknown.Status.Detail}' {watch.ResponseStream.Current.Status} {watchUnknown.ResponseStream.Current.Status}");
        }

        Assert.Equal(answers[0], answers[1]);
        Assert.Equal($"{ServingStatus.Serving} {StatusCode.NotFound} 'unknown service' {ServingStatus.Serving} {ServingStatus.ServiceUnknown}", answers[1]);
    }
}

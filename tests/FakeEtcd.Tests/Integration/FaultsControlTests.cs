using EtcdProtocol.Control;
using FakeEtcd.Simulation;
using Grpc.Core;

namespace FakeEtcd.Tests.Integration;

/// <summary>Faults from outside the process: the fakeetcd.v1.Faults service and the 'faults' command.</summary>
public class FaultsControlTests
{
    private const string FailOnePut = """{"Faults":[{"Kind":"FailRequest","Method":"Put","Error":"LeaderChanged"}]}""";

    private static readonly Etcdserverpb.PutRequest Put = new() { Key = Google.Protobuf.ByteString.CopyFromUtf8("k"), Value = Google.Protobuf.ByteString.CopyFromUtf8("v") };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InjectOverGrpcFailsTheNextPutAndTheHistoryShowsIt()
    {
        await using var server = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { Simulation = new SimulationOptions { Seed = 1 } }, Ct);
        using var channel = server.CreateChannel();
        var control = new EtcdProtocol.Control.Faults.FaultsClient(channel);
        var kv = new Etcdserverpb.KV.KVClient(channel); // not dotnet-etcd's client: its retry policy would retry the failed Put

        var state = await control.InjectAsync(new InjectFaultsRequest { ScheduleJson = FailOnePut }, cancellationToken: Ct);
        var failed = await Assert.ThrowsAsync<RpcException>(() => kv.PutAsync(Put, cancellationToken: Ct).ResponseAsync);
        var next = await kv.PutAsync(Put, cancellationToken: Ct);
        var history = await control.HistoryAsync(new HistoryRequest(), cancellationToken: Ct);

        Assert.Equal(["FailRequest(#1 Put -> LeaderChanged) on * at t=0.000s forever"], state.Active);
        Assert.Equal(1, state.Revision);
        Assert.Equal((StatusCode.Unavailable, "etcdserver: leader changed"), (failed.StatusCode, failed.Status.Detail));
        Assert.Equal(2, next.Header.Revision);
        Assert.Contains("anonymous  FaultApplied     rev=1 Put error Unavailable: etcdserver: leader changed\n", history.Text, StringComparison.Ordinal);
        Assert.Equal(history.Text.Count(c => c == '\n'), history.Entries);
    }

    [Fact]
    public async Task WithoutSimulationAndWithBadJsonTheServiceSaysWhy()
    {
        await using var plain = await FakeEtcdServer.StartAsync(cancellationToken: Ct);
        using var plainChannel = plain.CreateChannel();
        var refused = await Assert.ThrowsAsync<RpcException>(() => new EtcdProtocol.Control.Faults.FaultsClient(plainChannel)
            .InjectAsync(new InjectFaultsRequest { ScheduleJson = FailOnePut }, cancellationToken: Ct).ResponseAsync);
        await using var simulated = await FakeEtcdServer.StartAsync(new FakeEtcdServerOptions { Simulation = new SimulationOptions { Seed = 1 } }, Ct);
        using var channel = simulated.CreateChannel();
        var invalid = await Assert.ThrowsAsync<RpcException>(() => new EtcdProtocol.Control.Faults.FaultsClient(channel)
            .InjectAsync(new InjectFaultsRequest { ScheduleJson = """{"Faults":[{"Kind":"Meteor"}]}""" }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal((StatusCode.FailedPrecondition, "the server runs without simulation; start it with --simulation-seed N"), (refused.StatusCode, refused.Status.Detail));
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.StartsWith("invalid fault schedule: ", invalid.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultsCommandInjectsIntoAStandaloneSimulatedServer()
    {
        await using var server = await StandaloneProcess.StartAsync("--listen-client-urls", "http://127.0.0.1:0", "--clock", "virtual", "--simulation-seed", "7");
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(server.ClientUrl);
        var kv = new Etcdserverpb.KV.KVClient(channel);

        var injected = await StandaloneProcess.RunToEndAsync("faults", "inject", FailOnePut, "--endpoints", server.ClientUrl.ToString());
        var failed = await Assert.ThrowsAsync<RpcException>(() => kv.PutAsync(Put, cancellationToken: Ct).ResponseAsync);
        var history = await StandaloneProcess.RunToEndAsync("faults", "history", "--endpoints", server.ClientUrl.ToString());

        Assert.Equal((0, "1 active fault(s) at revision 1"), injected);
        Assert.Equal("etcdserver: leader changed", failed.Status.Detail);
        Assert.Equal((0, "0 t=0.000s server     FaultStarted     rev=1 FailRequest(#1 Put -> LeaderChanged) on * at t=0.000s forever"), history);
    }
}

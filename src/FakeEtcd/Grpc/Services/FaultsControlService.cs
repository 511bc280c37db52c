using System.Text.Json;
using EtcdProtocol.Control;
using FakeEtcd.Apply;
using FakeEtcd.Clock;
using FakeEtcd.Simulation;
using FakeEtcd.Simulation.Faults;
using Grpc.Core;

namespace FakeEtcd.Grpc.Services;

/// <summary>fakeetcd.v1.Faults: the simulation kit's fault injection and history over gRPC, for out-of-process tests.</summary>
internal sealed class FaultsControlService(Applier applier, ServerClock clock, Simulator? simulator = null) : EtcdProtocol.Control.Faults.FaultsBase
{
    public override async Task<FaultsState> Inject(InjectFaultsRequest request, ServerCallContext context)
    {
        var simulator = Simulated();
        FaultSchedule schedule;
        try
        {
            schedule = FaultSchedule.FromJson(request.ScheduleJson);
        }
        catch (JsonException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "invalid fault schedule: " + e.Message));
        }

        simulator.Faults.Schedule(schedule);
        if (clock.Virtual is { } virtualClock)
        {
            // Faults due now start before the answer (a virtual clock fires due timers only when stepped).
            await virtualClock.AdvanceAsync(TimeSpan.Zero, context.CancellationToken).ConfigureAwait(false);
        }

        var state = new FaultsState { Revision = applier.CurrentRevision };
        state.Active.AddRange(simulator.Faults.Active.Select(f => f.Describe()));
        return state;
    }

    public override Task<HistoryText> History(HistoryRequest request, ServerCallContext context)
    {
        var history = Simulated().History;
        return Task.FromResult(new HistoryText { Text = history.ToText(), Entries = history.Entries.Count });
    }

    private Simulator Simulated() => simulator
        ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, "the server runs without simulation; start it with --simulation-seed N"));
}

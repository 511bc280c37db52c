using System.CommandLine;
using System.Globalization;
using EtcdProtocol.Control;

namespace FakeEtcd.Cli;

/// <summary>
/// <c>fake-etcd faults inject JSON|history --endpoints URL</c>: the simulation kit from a shell, for test
/// scripts that drive a standalone server started with <c>--simulation-seed</c>.
/// </summary>
internal static class FaultsCommand
{
    public static Command Create()
    {
        var endpoints = ControlEndpoint.Option();
        var json = new Argument<string>("schedule") { Description = """A fault schedule as JSON, e.g. {"Faults":[{"Kind":"FailRequest","Method":"Put","Error":"LeaderChanged"}]}.""" };

        var inject = new Command("inject", "Arm the faults of a schedule (at their instant, or now if it has passed).") { json };
        inject.SetAction((r, ct) => CallAsync(r.GetValue(endpoints)!, async client =>
        {
            var state = await client.InjectAsync(new InjectFaultsRequest { ScheduleJson = r.GetValue(json)! }, cancellationToken: ct).ResponseAsync.ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{state.Active.Count} active fault(s) at revision {state.Revision}"));
            foreach (var fault in state.Active)
            {
                Console.WriteLine(fault);
            }
        }));
        var history = new Command("history", "Print the recorded history, one entry a line.");
        history.SetAction((r, ct) => CallAsync(r.GetValue(endpoints)!, async client =>
        {
            var text = (await client.HistoryAsync(new HistoryRequest(), cancellationToken: ct).ResponseAsync.ConfigureAwait(false)).Text;
            Console.Write(text.Length == 0 || text.EndsWith('\n') ? text : text + "\n");
        }));

        return new Command("faults", "Inject faults into a simulated FakeEtcd server (--simulation-seed) and read its history.") { endpoints, inject, history };
    }

    private static Task<int> CallAsync(string endpoints, Func<EtcdProtocol.Control.Faults.FaultsClient, Task> call) =>
        ControlEndpoint.CallAsync(endpoints, channel => call(new EtcdProtocol.Control.Faults.FaultsClient(channel)));
}

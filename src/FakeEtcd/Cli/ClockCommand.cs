using System.CommandLine;
using System.Globalization;
using EtcdProtocol.Control;

namespace FakeEtcd.Cli;

/// <summary>
/// <c>fake-etcd clock now|advance DURATION|scale N --endpoints URL</c>: the control API from a shell,
/// for test scripts that drive a standalone server.
/// </summary>
internal static class ClockCommand
{
    public static Command Create()
    {
        var endpoints = ControlEndpoint.Option();
        var duration = new Argument<string>("duration") { Description = "How far to move the clock, as in Go: 60s, 1m30s, 250ms." };
        var scale = new Argument<double>("scale") { Description = "How many times faster than wall time virtual time runs (0: only advance moves it)." };

        var now = new Command("now", "Print the server's clock.");
        now.SetAction((r, ct) => CallAsync(r.GetValue(endpoints)!, c => c.NowAsync(new NowRequest(), cancellationToken: ct).ResponseAsync));
        var advance = new Command("advance", "Advance a virtual clock, firing due timers (lease expiry) on the way.") { duration };
        advance.SetAction((r, ct) =>
        {
            if (!GoDuration.TryParse(r.GetValue(duration)!, out var by))
            {
                Console.Error.WriteLine($"error: invalid duration '{r.GetValue(duration)}'");
                return Task.FromResult(2);
            }

            return CallAsync(r.GetValue(endpoints)!, c => c.AdvanceAsync(new AdvanceRequest { Nanos = by.Ticks * 100 }, cancellationToken: ct).ResponseAsync);
        });
        var setScale = new Command("scale", "Set how fast virtual time runs on its own.") { scale };
        setScale.SetAction((r, ct) => CallAsync(r.GetValue(endpoints)!, c => c.SetTimeScaleAsync(new SetTimeScaleRequest { Scale = r.GetValue(scale) }, cancellationToken: ct).ResponseAsync));

        return new Command("clock", "Control a running FakeEtcd server's clock.") { endpoints, now, advance, setScale };
    }

    private static Task<int> CallAsync(string endpoints, Func<EtcdProtocol.Control.Clock.ClockClient, Task<ClockState>> call) =>
        ControlEndpoint.CallAsync(endpoints, async channel =>
        {
            var state = await call(new EtcdProtocol.Control.Clock.ClockClient(channel)).ConfigureAwait(false);
            var now = DateTimeOffset.UnixEpoch.AddTicks(state.UnixNanos / 100);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{(state.Virtual ? "virtual" : "system")} clock: {now:O} elapsed {TimeSpan.FromTicks(state.ElapsedNanos / 100)} scale {state.TimeScale} revision {state.Revision}"));
        });
}

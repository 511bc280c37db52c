namespace Election.Tests.Simulation;

public sealed class ScenarioProbe
{
    [Fact]
    public async Task Probe()
    {
        var n = int.Parse(Environment.GetEnvironmentVariable("PROBE_N") ?? "10", System.Globalization.CultureInfo.InvariantCulture);
        var started = TimeProvider.System.GetTimestamp();
        var bad = 0;
        for (var seed = 1; seed <= n; seed++)
        {
            var run = await ActiveStandbyScenario.RunAsync(seed, cancellationToken: TestContext.Current.CancellationToken);
            if (run.Violations.Count > 0 || seed == 1)
            {
                bad += run.Violations.Count > 0 ? 1 : 0;
                File.AppendAllText("/tmp/sim-probe.txt", run.Report());
            }
        }

        var t0 = TimeProvider.System.GetTimestamp();
        for (var i = 0; i < 10; i++)
        {
            await using var server = await FakeEtcd.FakeEtcdServer.StartAsync(new FakeEtcd.FakeEtcdServerOptions { Simulation = new FakeEtcd.Simulation.SimulationOptions() }, TestContext.Current.CancellationToken);
        }

        var t1 = TimeProvider.System.GetTimestamp();
        await using (var server = await FakeEtcd.FakeEtcdServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            for (var i = 0; i < 100; i++)
            {
                await server.Clock.AdvanceAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
                using var t = server.Clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
            }
        }

        File.AppendAllText("/tmp/sim-probe.txt", $"10 server start/stop {TimeProvider.System.GetElapsedTime(t0, t1).TotalMilliseconds:F0} ms; 100 timer advances {TimeProvider.System.GetElapsedTime(t1).TotalMilliseconds:F0} ms\n");
        File.AppendAllText("/tmp/sim-probe.txt", $"{n} runs in {TimeProvider.System.GetElapsedTime(started).TotalMilliseconds:F0} ms, {bad} with violations\n");
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using FakeEtcd.Benchmarks.Failover;
using FakeEtcd.Benchmarks.Kv;
using FakeEtcd.Benchmarks.Targets;
using Google.Protobuf;

namespace FakeEtcd.Benchmarks.Latency;

/// <summary>
/// <c>explain [--runs N] [--lone-runs N] [--targets FakeEtcd,Etcd,...] [--out DIR]</c>: runs watch-to-activate failovers with the gRPC
/// libraries' EventSource events recorded (<see cref="GrpcEvents"/>) and splits each step by where the
/// time went: the trigger's call reaching the server, the server's handler until the watch event is
/// written, the event reaching the standby's reader; the CAS reaching the server, the server's
/// handler, the answer reaching the client, and the client's completion. Also times a lone Txn on a
/// quiet connection, the CAS without a failover around it. Recording costs a little per event, so the
/// totals here run slightly above the latency harness's; the split is what this command is for.
/// Writes what it prints to DIR/explain.txt.
/// </summary>
internal static class ExplainCommand
{
    /// <summary>The file this command writes beside latency.json; the report quotes it.</summary>
    public const string FileName = "explain.txt";

    private static readonly StringBuilder Text = new();

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = CommandLine.IntOption(args, "--runs", 300);
        var targets = (CommandLine.Option(args, "--targets") ?? "FakeEtcd,FakeEtcdProcess,Etcd")
            .Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<Target>).ToList();
        foreach (var target in targets)
        {
            await LoneTxnAsync(target, CommandLine.IntOption(args, "--lone-runs", runs), null);
        }

        using var events = new GrpcEvents();
        foreach (var target in targets)
        {
            foreach (var trigger in new[] { FailoverTrigger.Revoke, FailoverTrigger.DeleteKey })
            {
                await ExplainAsync(target, trigger, runs, events);
            }

            await LoneTxnAsync(target, runs, events);
        }

        var outDir = CommandLine.Option(args, "--out") ?? Path.Combine("BenchmarkDotNet.Artifacts", "results", "latency");
        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, FileName), Text.ToString());
        Console.WriteLine($"wrote {Path.Combine(outDir, FileName)}");
        return 0;
    }

    private static void Line(string line)
    {
        Console.WriteLine(line);
        Text.AppendLine(line);
    }

    private static async Task ExplainAsync(Target target, FailoverTrigger trigger, int runs, GrpcEvents events)
    {
        var splits = new List<Split>();
        var timings = new List<FailoverTiming>();
        var unmatched = 0;
        await using var rig = await WatchToActivateRig.StartAsync(target, trigger);
        await FailoverWarmUp.RunAsync(rig);
        for (var i = 0; i < runs; i++)
        {
            await rig.PrepareAsync();
            events.Clear();
            var timing = await rig.FailOverAsync();
            timings.Add(timing);
            if (Split.Of(timing, trigger, events.Snapshot()) is { } split)
            {
                splits.Add(split);
            }
            else
            {
                unmatched++;
            }
        }

        Line($"{target} {trigger}: {timings.Count} failovers, as the standby's client saw them");
        Print("total", timings.Select(t => t.Total));
        Print("  trigger -> event read", timings.Select(t => t.ToEvent));
        Print("  event read -> CAS sent", timings.Select(t => t.EventToCas));
        Print("  CAS round trip", timings.Select(t => t.Cas));
        Print("  CAS answered -> activation callback", timings.Select(t => t.CasToCallback));
        if (splits.Count == 0)
        {
            Line("  (the server runs in another process: no server-side events to split at)");
            return;
        }

        Line($"{target} {trigger}: {splits.Count} failovers split at the server's events ({unmatched} without a match)");
        Print("total", splits.Select(s => s.Total));
        Print("  trigger -> server has the trigger call", splits.Select(s => s.TriggerToServer));
        Print("  server has it -> watch event written", splits.Select(s => s.ServerToWatchWrite));
        Print("  watch event written -> standby read it", splits.Select(s => s.WatchWriteToRead));
        Print("  event read -> CAS sent (library)", splits.Select(s => s.EventToCas));
        Print("  CAS sent -> server has it", splits.Select(s => s.CasToServer));
        Print("  server has CAS -> answer written", splits.Select(s => s.CasHandler));
        Print("  answer written -> client read it", splits.Select(s => s.AnswerToClient));
        Print("  client read it -> CAS task completed", splits.Select(s => s.ClientCompletion));
        Print("  CAS answered -> activation callback", splits.Select(s => s.CasToCallback));
    }

    private static async Task LoneTxnAsync(Target target, int runs, GrpcEvents? events)
    {
        await using var server = await TargetServer.StartAsync(target);
        using var channel = server.OpenChannel();
        var kv = new Etcdserverpb.KV.KVClient(channel);
        var txn = new Etcdserverpb.TxnRequest();
        txn.Compare.Add(new Etcdserverpb.Compare
        {
            Key = ByteString.CopyFromUtf8("bench/explain"),
            Target = Etcdserverpb.Compare.Types.CompareTarget.Create,
            Result = Etcdserverpb.Compare.Types.CompareResult.Equal,
            CreateRevision = 0,
        });
        await KvWarmUp.RunAsync(() => kv.TxnAsync(txn).ResponseAsync);
        var times = new List<TimeSpan>();
        var handler = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            events?.Clear();
            var sent = Stopwatch.GetTimestamp();
            await kv.TxnAsync(txn);
            var answered = Stopwatch.GetTimestamp();
            times.Add(Stopwatch.GetElapsedTime(sent, answered));
            var recorded = events?.Snapshot() ?? [];
            if (recorded.FirstOrDefault(e => e.Server && e.Name == "CallStart") is { Timestamp: > 0 } start
                && recorded.FirstOrDefault(e => e.Server && e.Name == "MessageSent" && e.Timestamp >= start.Timestamp) is { Timestamp: > 0 } written)
            {
                handler.Add(Stopwatch.GetElapsedTime(start.Timestamp, written.Timestamp));
            }
        }

        Line($"{target} lone Txn on a quiet connection, {runs} calls, {(events is null ? "without" : "with")} events recorded:");
        Print("  round trip", times);
        if (times.Count >= 4000)
        {
            Print("  round trip, first 1000 calls", times.Take(1000));
            Print("  round trip, last 1000 calls", times.TakeLast(1000));
        }

        Print("  server has it -> answer written", handler);
    }

    private static void Print(string what, IEnumerable<TimeSpan> values)
    {
        var sorted = values.Select(v => v.TotalMicroseconds).Order().ToList();
        if (sorted.Count == 0)
        {
            Line($"{what,-46} -");
            return;
        }

        string At(double q) => sorted[(int)Math.Min(sorted.Count - 1, Math.Round(q * (sorted.Count - 1)))].ToString("0.0", CultureInfo.InvariantCulture);
        Line($"{what,-46} p50 {At(0.5),8} µs   p90 {At(0.9),8} µs");
    }
}

using System.CommandLine;
using System.Text.Json;
using FakeEtcd.Cli;
using FakeEtcd.Hosting.Logging;
using Microsoft.Extensions.Logging;

namespace FakeEtcd.Tests.Integration;

/// <summary>etcd's logging flags: zap JSON lines or capnslog text, the level, the outputs, and etcd's errors for what it refuses.</summary>
public sealed class EtcdLogFlagsTests
{
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 12, 8, 0, 20, 24, TimeSpan.Zero).AddTicks(588390);

    private static (EtcdLog? Log, IReadOnlyList<string> Warnings, (string Message, int ExitCode)? Error) Build(params string[] args)
    {
        var flags = new EtcdLogFlags();
        var root = new RootCommand();
        foreach (var option in flags.All)
        {
            root.Options.Add(option);
        }

        return flags.Build(root.Parse(args));
    }

    [Fact]
    public void Zap_writes_one_JSON_line_with_etcd_s_field_names()
    {
        using var output = new StringWriter();
        var log = new EtcdLog(EtcdLogFormat.Zap, LogLevel.Information, [output], new VirtualClock(At));

        log.Write(LogLevel.Warning, "embed/serve.go", "ready to serve client requests", [new("address", "127.0.0.1:2379"), new("urls", new[] { "a", "b" }), new("count", 3L)]);

        Assert.Equal(
            """{"level":"warn","ts":"2026-12-08T00:20:24.058Z","caller":"embed/serve.go","msg":"ready to serve client requests","address":"127.0.0.1:2379","urls":["a","b"],"count":3}""" + Environment.NewLine,
            output.ToString());
    }

    [Fact]
    public void Capnslog_writes_etcd_3_4_s_text_line()
    {
        using var output = new StringWriter();
        var log = new EtcdLog(EtcdLogFormat.Capnslog, LogLevel.Information, [output], new VirtualClock(At));

        log.Write(LogLevel.Error, "etcdmain", "listen failed", [new("address", "127.0.0.1:2379")]);

        Assert.Equal("2026-12-08 00:20:24.058839 E | etcdmain: listen failed address=127.0.0.1:2379" + Environment.NewLine, output.ToString());
    }

    [Theory]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    [InlineData("panic", LogLevel.Critical)]
    [InlineData("fatal", LogLevel.Critical)]
    public void The_level_drops_what_is_below_it(string level, LogLevel minimum)
    {
        var (log, warnings, error) = Build("--log-level", level);

        Assert.Equal((minimum, 0, null), (log!.Minimum, warnings.Count, error));
        Assert.Equal(minimum <= LogLevel.Information, log.IsEnabled(LogLevel.Information));
        Assert.True(log.IsEnabled(LogLevel.Critical));
    }

    [Fact]
    public void Defaults_are_zap_at_info_on_stderr()
    {
        var (log, warnings, error) = Build();

        Assert.Equal((LogLevel.Information, 0, null), (log!.Minimum, warnings.Count, error));
    }

    [Theory]
    [InlineData(new[] { "--logger", "bogus" }, "error verifying flags, unknown logger option \"bogus\". See 'etcd --help'.", 1)]
    [InlineData(new[] { "--log-level", "bogus" }, "panic: unknown level \"bogus\"", 2)]
    [InlineData(new[] { "--log-outputs", "default,stdout" }, "error verifying flags, multi logoutput for \"default\" is not supported yet. See 'etcd --help'.", 1)]
    [InlineData(new[] { "--logger", "capnslog", "--log-outputs", "x" }, "error verifying flags, unknown log-output \"x\" (only supports \"default\", \"stderr\", \"stdout\"). See 'etcd --help'.", 1)]
    [InlineData(new[] { "--logger", "capnslog", "--log-outputs", "stderr,stdout" }, "error verifying flags, --logger=capnslog supports only 1 value in '--log-outputs', got [\"stderr\" \"stdout\"]. See 'etcd --help'.", 1)]
    public void What_etcd_refuses_gets_etcd_s_message_and_exit_code(string[] args, string message, int exitCode)
    {
        var (log, _, error) = Build(args);

        Assert.Null(log);
        Assert.Equal((message, exitCode), error);
    }

    [Fact]
    public void Capnslog_warns_that_it_is_deprecated_as_etcd_does()
    {
        var (_, warnings, error) = Build("--logger", "capnslog");

        Assert.Null(error);
        Assert.Equal(["[WARNING] Deprecated '--logger=capnslog' flag is set; use '--logger=zap' flag instead"], warnings);
    }

    [Fact]
    public async Task The_standalone_server_logs_its_start_ready_and_stop_as_zap_lines_to_a_file()
    {
        var lines = (await LinesLoggedByAsync("--name", "n1")).Select(l => JsonDocument.Parse(l).RootElement).ToList();

        Assert.Equal(
            ["starting an etcd server", "ready to serve client requests", "serving client traffic insecurely; this is strongly discouraged!", "closing etcd server"],
            lines.Select(l => l.GetProperty("msg").GetString()));
        Assert.All(lines, l => Assert.Equal(["level", "ts", "caller", "msg"], l.EnumerateObject().Take(4).Select(p => p.Name)));
        Assert.Equal("n1", lines[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_level_of_warn_leaves_the_information_out()
    {
        var lines = await LinesLoggedByAsync("--log-level", "warn");

        Assert.Empty(lines);
    }

    /// <summary>Starts the standalone server logging to a new file, stops it with SIGTERM (exit 0), and returns what it logged.</summary>
    private static async Task<string[]> LinesLoggedByAsync(params string[] args)
    {
        var file = Path.Combine(Path.GetTempPath(), $"fakeetcd-log-{Guid.NewGuid():N}.log");
        try
        {
            await using (var server = await StandaloneProcess.StartAsync(["--listen-client-urls", "http://127.0.0.1:0", "--log-outputs", file, .. args]))
            {
                Assert.Equal(0, await server.TerminateAsync());
            }

            return await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

using System.CommandLine;
using FakeEtcd.Hosting.Logging;
using Microsoft.Extensions.Logging;

namespace FakeEtcd.Cli;

/// <summary>
/// etcd's logging flags (embed/config_logging.go): <c>--logger</c> zap (JSON lines) or capnslog (text,
/// deprecated), <c>--log-level</c>, and <c>--log-outputs</c> (default/stderr, stdout, or files), with
/// etcd's messages for what it refuses.
/// </summary>
internal sealed class EtcdLogFlags
{
    private static readonly string[] Levels = ["debug", "info", "warn", "error", "dpanic", "panic", "fatal"];

    public Option<string> Logger { get; } = new("--logger")
    {
        Description = "'zap' for structured JSON log lines on the log outputs, or 'capnslog' (etcd 3.4's deprecated text lines).",
        DefaultValueFactory = _ => "zap",
    };

    public Option<string> LogLevel { get; } = new("--log-level")
    {
        Description = "Configures log level. Only supports debug, info, warn, error, panic, or fatal.",
        DefaultValueFactory = _ => "info",
    };

    public Option<string> LogOutputs { get; } = new("--log-outputs")
    {
        Description = "Specify 'stdout' or 'stderr' to skip journald logging even when running under systemd, or list of comma separated output targets.",
        DefaultValueFactory = _ => "default",
    };

    public IEnumerable<Option> All => [Logger, LogLevel, LogOutputs];

    /// <summary>
    /// The log the flags ask for, with the warnings etcd prints first; or etcd's message and exit code
    /// (an unknown level is a Go panic, exit 2, as on etcd).
    /// </summary>
    public (EtcdLog? Log, IReadOnlyList<string> Warnings, (string Message, int ExitCode)? Error) Build(ParseResult result)
    {
        var logger = result.GetValue(Logger)!;
        var level = result.GetValue(LogLevel)!;
        var outputs = result.GetValue(LogOutputs)!.Split(',');
        var warnings = new List<string>();
        EtcdLogFormat format;
        switch (logger)
        {
            case "zap":
                format = EtcdLogFormat.Zap;
                if (outputs.Length > 1 && outputs.Contains("default"))
                {
                    return (null, warnings, Verifying("multi logoutput for \"default\" is not supported yet"));
                }

                break;
            case "capnslog":
                format = EtcdLogFormat.Capnslog;
                warnings.Add("[WARNING] Deprecated '--logger=capnslog' flag is set; use '--logger=zap' flag instead");
                if (outputs.Length != 1)
                {
                    return (null, warnings, Verifying($"--logger=capnslog supports only 1 value in '--log-outputs', got [{string.Join(' ', outputs.Select(o => $"\"{o}\""))}]"));
                }

                if (outputs[0] is not ("default" or "stderr" or "stdout"))
                {
                    return (null, warnings, Verifying($"unknown log-output \"{outputs[0]}\" (only supports \"default\", \"stderr\", \"stdout\")"));
                }

                break;
            default:
                return (null, warnings, Verifying($"unknown logger option \"{logger}\""));
        }

        if (!Levels.Contains(level))
        {
            return (null, warnings, ($"panic: unknown level \"{level}\"", 2));
        }

        if (outputs.Contains("systemd/journal"))
        {
            return (null, warnings, Verifying("FakeEtcd does not log to systemd/journal; use stderr, stdout or a file"));
        }

        var writers = new List<TextWriter>();
        foreach (var output in outputs.Distinct(StringComparer.Ordinal))
        {
            try
            {
                writers.Add(output switch
                {
                    "default" or "stderr" => Console.Error,
                    "stdout" => Console.Out,
                    _ => OpenFile(output),
                });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (null, warnings, Verifying($"couldn't open sink \"{output}\": {e.Message.TrimEnd('.')}"));
            }
        }

        return (new EtcdLog(format, MinimumOf(level), writers, TimeProvider.System), warnings, null);
    }

    private static (string, int) Verifying(string problem) => ($"error verifying flags, {problem}. See 'etcd --help'.", 1);

    private static LogLevel MinimumOf(string level) => level switch
    {
        "debug" => Microsoft.Extensions.Logging.LogLevel.Debug,
        "info" => Microsoft.Extensions.Logging.LogLevel.Information,
        "warn" => Microsoft.Extensions.Logging.LogLevel.Warning,
        "error" => Microsoft.Extensions.Logging.LogLevel.Error,
        _ => Microsoft.Extensions.Logging.LogLevel.Critical,
    };

    /// <summary>A log file opened for appending, as zap opens its output paths.</summary>
    private static StreamWriter OpenFile(string path) =>
        new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
}

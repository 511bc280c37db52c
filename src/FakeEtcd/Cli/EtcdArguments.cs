using System.Collections;

namespace FakeEtcd.Cli;

/// <summary>
/// etcd's command-line conventions in front of System.CommandLine: Go's single-dash and <c>-flag=value</c>
/// forms, <c>ETCD_*</c> environment variables for every etcd flag (an error when the same flag is also on
/// the command line, as etcd's pkg/flags says), and etcd's error for a flag it does not define.
/// </summary>
internal static class EtcdArguments
{
    /// <summary>The flag that turns an undefined flag from an error into a warning.</summary>
    public const string IgnoreUnknownFlags = "--ignore-unknown-flags";

    /// <summary>What <see cref="Prepare"/> made of a command line.</summary>
    /// <param name="Args">The arguments to parse: normalised, with the environment's flags appended.</param>
    /// <param name="Warnings">Lines for standard error.</param>
    /// <param name="Error">A line for standard error when the server must not start.</param>
    /// <param name="ExitCode">The exit code with <paramref name="Error"/>: 1 as etcd's fatal log, 2 as Go's flag package.</param>
    internal sealed record Prepared(string[] Args, IReadOnlyList<string> Warnings, string? Error, int ExitCode);

    /// <summary>Applies the conventions to the server's command line; <paramref name="subcommands"/> are left alone.</summary>
    public static Prepared Prepare(string[] args, IDictionary environment, IReadOnlySet<string> subcommands)
    {
        if (args.Length > 0 && subcommands.Contains(args[0]))
        {
            return new Prepared(args, [], null, 0);
        }

        var normalized = Normalize(args);
        var configAt = Array.IndexOf(normalized, "--config-file");
        var configFile = configAt >= 0 && configAt + 1 < normalized.Length ? normalized[configAt + 1] : environment["ETCD_CONFIG_FILE"] as string;
        if (!string.IsNullOrEmpty(configFile))
        {
            return FromConfigFile(normalized, configFile);
        }

        var warnings = new List<string>();
        var given = normalized.Where(a => a.StartsWith("--", StringComparison.Ordinal)).Select(a => a[2..]).ToHashSet(StringComparer.Ordinal);
        var flagsByVariable = EtcdFlags.All.ToDictionary(EtcdFlags.EnvironmentName, f => f, StringComparer.Ordinal);
        foreach (var (variable, value) in environment.Cast<DictionaryEntry>()
            .Select(e => ((string)e.Key, e.Value as string ?? string.Empty))
            .Where(e => e.Item1.StartsWith("ETCD_", StringComparison.Ordinal))
            .OrderBy(e => e.Item1, StringComparer.Ordinal))
        {
            if (!flagsByVariable.TryGetValue(variable, out var flag))
            {
                if (variable != "ETCD_UNSUPPORTED_ARCH")
                {
                    warnings.Add($"warning: unrecognized environment variable {variable}={value}");
                }

                continue;
            }

            if (given.Contains(flag))
            {
                return new Prepared(
                    normalized,
                    warnings,
                    $"error: conflicting environment variable \"{variable}\" is shadowed by corresponding command-line flag (either unset environment variable or disable flag)",
                    1);
            }

            normalized = [.. normalized, "--" + flag, value];
        }

        return new Prepared(normalized, warnings, null, 0);
    }

    /// <summary>
    /// etcd's rule for a config file: its settings are the configuration, other etcd flags and the
    /// environment are ignored. FakeEtcd's own flags (<c>--clock</c>, ...) still apply.
    /// </summary>
    private static Prepared FromConfigFile(string[] normalized, string path)
    {
        var (flags, error) = EtcdConfigFile.Read(path);
        if (error is not null)
        {
            return new Prepared(normalized, [], error, 1);
        }

        var kept = new List<string>();
        var ignored = new List<string>();
        for (var i = 0; i < normalized.Length; i++)
        {
            var token = normalized[i];
            if (token.StartsWith("--", StringComparison.Ordinal) && EtcdFlags.All.Contains(token[2..]))
            {
                var hasValue = i + 1 < normalized.Length && !normalized[i + 1].StartsWith("--", StringComparison.Ordinal);
                if (token != "--config-file")
                {
                    ignored.Add(hasValue ? $"{token} {normalized[i + 1]}" : token);
                }

                i += hasValue ? 1 : 0;
                continue;
            }

            kept.Add(token);
        }

        IReadOnlyList<string> warnings = ignored.Count == 0
            ? []
            : [$"warning: --config-file {path} is the configuration, as on etcd; ignoring the command line's {string.Join(' ', ignored)}"];
        return new Prepared([.. flags, .. kept], warnings, null, 0);
    }

    /// <summary>
    /// The arguments System.CommandLine left unmatched, judged as etcd would: a flag etcd defines is
    /// ignored with a warning, any other one is Go's "flag provided but not defined" (or, with
    /// <see cref="IgnoreUnknownFlags"/>, a warning too).
    /// </summary>
    public static (string? Warning, string? Error) JudgeUnmatched(IReadOnlyList<string> unmatched, bool ignoreUnknown)
    {
        if (unmatched.Count == 0)
        {
            return (null, null);
        }

        var undefined = unmatched.FirstOrDefault(t => t.StartsWith("--", StringComparison.Ordinal) && !EtcdFlags.All.Contains(t[2..]));
        if (undefined is not null && !ignoreUnknown)
        {
            return (null, $"flag provided but not defined: -{undefined[2..]}");
        }

        return ("warning: ignoring unsupported etcd flags: " + string.Join(' ', unmatched), null);
    }

    /// <summary>Go's flag forms as System.CommandLine's: <c>-flag</c> → <c>--flag</c>, <c>--flag=value</c> → <c>--flag value</c>.</summary>
    private static string[] Normalize(string[] args)
    {
        var result = new List<string>(args.Length);
        foreach (var arg in args)
        {
            if (arg == "--" || !arg.StartsWith('-') || arg.Length < 2 || char.IsAsciiDigit(arg[1]))
            {
                result.Add(arg);
                continue;
            }

            var flag = arg.StartsWith("--", StringComparison.Ordinal) ? arg : "-" + arg;
            if (flag.Length == 3)
            {
                result.Add(arg); // -h, -? stay the short options they are.
                continue;
            }

            var equals = flag.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                result.Add(flag);
            }
            else
            {
                result.Add(flag[..equals]);
                result.Add(flag[(equals + 1)..]);
            }
        }

        return [.. result];
    }
}

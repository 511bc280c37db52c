using System.Globalization;

namespace FakeEtcd.Benchmarks.Latency;

/// <summary>The little the benchmark's own commands read from their arguments and the machine.</summary>
internal static class CommandLine
{
    /// <summary>The value after <paramref name="name"/>, or null when it is absent.</summary>
    public static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    public static int IntOption(string[] args, string name, int fallback) =>
        Option(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The 1, 5 and 15 minute load averages ("?" off Linux), written beside each run's figures.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}

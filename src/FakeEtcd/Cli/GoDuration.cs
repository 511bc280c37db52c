using System.Globalization;
using System.Text.RegularExpressions;

namespace FakeEtcd.Cli;

/// <summary>Parses durations the way Go's time.ParseDuration writes them ("60s", "1m30s", "250ms", "1.5h").</summary>
internal static partial class GoDuration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var parts = Part().Matches(text);
        if (parts.Count == 0 || string.Concat(parts.Select(m => m.Value)) != text)
        {
            return false;
        }

        foreach (Match part in parts)
        {
            var amount = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            duration += part.Groups[2].Value switch
            {
                "ns" => TimeSpan.FromTicks((long)(amount / 100)),
                "us" or "µs" => TimeSpan.FromTicks((long)(amount * 10)),
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
        }

        return true;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex Part();
}

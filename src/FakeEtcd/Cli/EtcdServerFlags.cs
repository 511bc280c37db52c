using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace FakeEtcd.Cli;

/// <summary>
/// The etcd flags that shape the member and its timers: identity (peer URLs, cluster token), raft
/// timing (which sets the minimum lease TTL), progress notifications, automatic compaction and the
/// backend quota; parsed
/// and checked with etcd's messages and exit codes.
/// </summary>
internal sealed partial class EtcdServerFlags
{
    /// <summary>etcd's limit on --election-timeout (embed.maxElectionMs).</summary>
    private const long MaxElectionMs = 50000;

    public Option<string> InitialAdvertisePeerUrls { get; } = new("--initial-advertise-peer-urls")
    {
        Description = "This member's peer URLs, reported by MemberList; with --initial-cluster-token they give the member id, as on etcd.",
        DefaultValueFactory = _ => "http://localhost:2380",
    };

    public Option<string> InitialClusterToken { get; } = new("--initial-cluster-token")
    {
        Description = "The cluster token; with the peer URLs it gives the member and cluster ids, as on etcd.",
        DefaultValueFactory = _ => "etcd-cluster",
    };

    public Option<string> HeartbeatInterval { get; } = new("--heartbeat-interval")
    {
        Description = "Time (in milliseconds) of a heartbeat interval; with --election-timeout it sets the minimum lease TTL, as on etcd.",
        DefaultValueFactory = _ => "100",
    };

    public Option<string> ElectionTimeout { get; } = new("--election-timeout")
    {
        Description = "Time (in milliseconds) for an election to timeout; the minimum lease TTL is ceil(1.5 x election ticks x heartbeat) seconds, as on etcd.",
        DefaultValueFactory = _ => "1000",
    };

    public Option<string> WatchProgressNotifyInterval { get; } = new("--experimental-watch-progress-notify-interval")
    {
        Description = "Duration of periodic watch progress notifications, on the server's clock.",
        DefaultValueFactory = _ => "10m",
    };

    public Option<string> AutoCompactionMode { get; } = new("--auto-compaction-mode")
    {
        Description = "Interpret 'auto-compaction-retention' as 'periodic' (a duration, in hours without a unit) or 'revision' (a number of revisions).",
        DefaultValueFactory = _ => "periodic",
    };

    public Option<string> AutoCompactionRetention { get; } = new("--auto-compaction-retention")
    {
        Description = "Auto compaction retention for the key value store, on the server's clock. 0 means disable auto compaction.",
        DefaultValueFactory = _ => "0",
    };

    public Option<string> QuotaBackendBytes { get; } = new("--quota-backend-bytes")
    {
        Description = "Raise alarms when backend size exceeds the given quota (0 defaults to low space quota, 2 GiB; negative: no quota).",
        DefaultValueFactory = _ => "0",
    };

    public IEnumerable<Option> All =>
    [
        InitialAdvertisePeerUrls, InitialClusterToken, HeartbeatInterval, ElectionTimeout, WatchProgressNotifyInterval,
        AutoCompactionMode, AutoCompactionRetention, QuotaBackendBytes,
    ];

    /// <summary>Sets <paramref name="options"/> from the flags; on bad input etcd's message and exit code instead.</summary>
    public (string Message, int ExitCode)? Apply(ParseResult result, FakeEtcdServerOptions options)
    {
        if (!TryUint(result, HeartbeatInterval, out var tickMs, out var bad)
            || !TryUint(result, ElectionTimeout, out var electionMs, out bad))
        {
            return bad;
        }

        var quota = result.GetValue(QuotaBackendBytes)!;
        if (!long.TryParse(quota, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var quotaBytes))
        {
            return ParseError(QuotaBackendBytes, quota);
        }

        var progress = result.GetValue(WatchProgressNotifyInterval)!;
        if (!TryGoDuration(progress, out var progressInterval))
        {
            return ParseError(WatchProgressNotifyInterval, progress);
        }

        var verifying = Verify(tickMs, electionMs, result.GetValue(AutoCompactionMode)!);
        if (verifying is not null)
        {
            return ($"error verifying flags, {verifying}. See 'etcd --help'.", 1);
        }

        if (ParseCompaction(result.GetValue(AutoCompactionMode)!, result.GetValue(AutoCompactionRetention)!, out var compaction) is { } compactionError)
        {
            return ("error parsing CompactionRetention: " + compactionError, 1);
        }

        options.AutoCompaction = compaction;
        options.QuotaBackendBytes = quotaBytes;
        options.MinLeaseTtlSeconds = MinLeaseTtlSeconds(tickMs, electionMs);
        if (progressInterval > TimeSpan.Zero)
        {
            options.WatchProgressNotifyInterval = progressInterval;
        }

        options.InitialClusterToken = result.GetValue(InitialClusterToken)!;
        options.AdvertisePeerUrls.Clear();
        foreach (var url in result.GetValue(InitialAdvertisePeerUrls)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                return ($"error verifying flags, unexpected URL '{url}' in --initial-advertise-peer-urls. See 'etcd --help'.", 1);
            }

            options.AdvertisePeerUrls.Add(uri);
        }

        return null;
    }

    /// <summary>etcd's minimum lease TTL: ceil(((3 × election ticks) / 2) × heartbeat), in whole seconds.</summary>
    public static long MinLeaseTtlSeconds(long tickMs, long electionMs)
    {
        var electionTicks = electionMs / tickMs;
        var minTtlMs = (3 * electionTicks / 2) * tickMs;
        return (minTtlMs + 999) / 1000;
    }

    /// <summary>embed.Config.Validate's timing and mode checks, in its order; null when they pass.</summary>
    private static string? Verify(long tickMs, long electionMs, string mode)
    {
        if (tickMs <= 0)
        {
            return $"--heartbeat-interval must be >0 (set to {tickMs}ms)";
        }

        if (electionMs <= 0)
        {
            return $"--election-timeout must be >0 (set to {electionMs}ms)";
        }

        if (5 * tickMs > electionMs)
        {
            return $"--election-timeout[{electionMs}ms] should be at least as 5 times as --heartbeat-interval[{tickMs}ms]";
        }

        if (electionMs > MaxElectionMs)
        {
            return $"--election-timeout[{electionMs}ms] is too long, and should be set less than {MaxElectionMs}ms";
        }

        return mode is "periodic" or "revision" ? null : $"unknown auto-compaction-mode \"{mode}\"";
    }

    /// <summary>embed's parseCompactionRetention: a whole number is hours (periodic) or revisions; anything else a Go duration.</summary>
    private static string? ParseCompaction(string mode, string retention, out AutoCompaction? compaction)
    {
        compaction = null;
        TimeSpan period;
        if (long.TryParse(retention, NumberStyles.None, CultureInfo.InvariantCulture, out var whole))
        {
            if (whole == 0)
            {
                return null;
            }

            if (mode == "revision")
            {
                compaction = AutoCompaction.Revision(whole);
                return null;
            }

            period = TimeSpan.FromHours(whole);
        }
        else if (!TryGoDuration(retention, out period))
        {
            return UnitError().Match(retention) is { Success: true } unit
                ? $"time: unknown unit \"{unit.Groups[1].Value}\" in duration \"{retention}\""
                : $"time: invalid duration \"{retention}\"";
        }

        if (period <= TimeSpan.Zero)
        {
            return null;
        }

        // A duration in revision mode is etcd's too: its nanoseconds are the revisions kept.
        compaction = mode == "revision" ? AutoCompaction.Revision(period.Ticks * 100) : AutoCompaction.Periodic(period);
        return null;
    }

    private static bool TryUint(ParseResult result, Option<string> option, out long value, out (string, int)? error)
    {
        var text = result.GetValue(option)!;
        error = null;
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed <= long.MaxValue)
        {
            value = (long)parsed;
            return true;
        }

        value = 0;
        error = ParseError(option, text);
        return false;
    }

    /// <summary>Go's flag package on a value it cannot parse (exit 2).</summary>
    private static (string, int) ParseError(Option option, string value) => ($"invalid value \"{value}\" for flag -{option.Name[2..]}: parse error", 2);

    private static bool TryGoDuration(string text, out TimeSpan duration)
    {
        if (text == "0")
        {
            duration = TimeSpan.Zero;
            return true;
        }

        return GoDuration.TryParse(text, out duration);
    }

    [GeneratedRegex(@"^\d+(?:\.\d+)?([^\d.]+)$")]
    private static partial Regex UnitError();
}

using System.CommandLine;
using FakeEtcd.Cli;

namespace FakeEtcd.Tests.Integration;

/// <summary>The etcd flags that shape the member and its timers, with etcd 3.4's messages and exit codes for bad values.</summary>
public sealed class EtcdServerFlagsTests
{
    private static (FakeEtcdServerOptions Options, (string Message, int ExitCode)? Error) Apply(params string[] args)
    {
        var flags = new EtcdServerFlags();
        var root = new RootCommand();
        foreach (var option in flags.All)
        {
            root.Options.Add(option);
        }

        var options = new FakeEtcdServerOptions();
        var error = flags.Apply(root.Parse(args), options);
        return (options, error);
    }

    [Fact]
    public void Defaults_are_etcd_s()
    {
        var (options, error) = Apply();

        Assert.Null(error);
        Assert.Equal(2, options.MinLeaseTtlSeconds);
        Assert.Equal(TimeSpan.FromMinutes(10), options.WatchProgressNotifyInterval);
        Assert.Null(options.AutoCompaction);
        Assert.Equal("etcd-cluster", options.InitialClusterToken);
        Assert.Equal([new Uri("http://localhost:2380")], options.AdvertisePeerUrls);
        Assert.Equal(0, options.QuotaBackendBytes); // etcd's 2 GiB
    }

    [Theory]
    [InlineData("1048576", 1048576)]
    [InlineData("-1", -1)]
    public void The_backend_quota_reaches_the_options(string value, long bytes)
    {
        var (options, error) = Apply("--quota-backend-bytes", value);

        Assert.Equal((null, bytes), (error, options.QuotaBackendBytes));
    }

    [Theory]
    [InlineData("100", "1000", 2)] // ceil(15 ticks x 100 ms)
    [InlineData("10", "100", 1)] // 15 x 10 ms = 150 ms, rounded up
    [InlineData("100", "5000", 8)] // 75 x 100 ms = 7.5 s
    [InlineData("300", "1600", 3)] // 5 ticks: (3 x 5) / 2 = 7 (integer halving) x 300 ms = 2.1 s
    public void The_minimum_lease_TTL_follows_the_raft_timing_as_on_etcd(string heartbeat, string election, long minTtl)
    {
        var (options, error) = Apply("--heartbeat-interval", heartbeat, "--election-timeout", election);

        Assert.Null(error);
        Assert.Equal(minTtl, options.MinLeaseTtlSeconds);
    }

    [Theory]
    [InlineData(new[] { "--heartbeat-interval", "abc" }, "invalid value \"abc\" for flag -heartbeat-interval: parse error", 2)]
    [InlineData(new[] { "--election-timeout", "-1" }, "invalid value \"-1\" for flag -election-timeout: parse error", 2)]
    [InlineData(new[] { "--experimental-watch-progress-notify-interval", "5x" }, "invalid value \"5x\" for flag -experimental-watch-progress-notify-interval: parse error", 2)]
    [InlineData(new[] { "--quota-backend-bytes", "1GB" }, "invalid value \"1GB\" for flag -quota-backend-bytes: parse error", 2)]
    [InlineData(new[] { "--heartbeat-interval", "0" }, "error verifying flags, --heartbeat-interval must be >0 (set to 0ms). See 'etcd --help'.", 1)]
    [InlineData(new[] { "--election-timeout", "0" }, "error verifying flags, --election-timeout must be >0 (set to 0ms). See 'etcd --help'.", 1)]
    [InlineData(new[] { "--election-timeout", "100", "--heartbeat-interval", "100" }, "error verifying flags, --election-timeout[100ms] should be at least as 5 times as --heartbeat-interval[100ms]. See 'etcd --help'.", 1)]
    [InlineData(new[] { "--election-timeout", "60000" }, "error verifying flags, --election-timeout[60000ms] is too long, and should be set less than 50000ms. See 'etcd --help'.", 1)]
    [InlineData(new[] { "--auto-compaction-mode", "foo" }, "error verifying flags, unknown auto-compaction-mode \"foo\". See 'etcd --help'.", 1)]
    [InlineData(new[] { "--auto-compaction-retention", "1x" }, "error parsing CompactionRetention: time: unknown unit \"x\" in duration \"1x\"", 1)]
    [InlineData(new[] { "--auto-compaction-retention", "soon" }, "error parsing CompactionRetention: time: invalid duration \"soon\"", 1)]
    public void Bad_values_get_etcd_s_message_and_exit_code(string[] args, string message, int exitCode)
    {
        var (_, error) = Apply(args);

        Assert.Equal((message, exitCode), error);
    }

    [Theory]
    [InlineData("periodic", "1", 3600, 0)] // a whole number is hours
    [InlineData("periodic", "5m", 300, 0)]
    [InlineData("periodic", "1h30m", 5400, 0)]
    [InlineData("revision", "1000", 0, 1000)]
    [InlineData("revision", "1us", 0, 1000)] // etcd reads a duration's nanoseconds as the revisions kept
    public void Auto_compaction_retention_is_read_as_etcd_reads_it(string mode, string retention, int periodSeconds, long revisions)
    {
        var (options, error) = Apply("--auto-compaction-mode", mode, "--auto-compaction-retention", retention);

        Assert.Null(error);
        Assert.Equal((TimeSpan.FromSeconds(periodSeconds), revisions), (options.AutoCompaction!.Period, options.AutoCompaction.Revisions));
    }

    [Theory]
    [InlineData("periodic", "0")]
    [InlineData("revision", "0")]
    [InlineData("periodic", "0s")]
    public void A_zero_retention_disables_auto_compaction(string mode, string retention)
    {
        var (options, error) = Apply("--auto-compaction-mode", mode, "--auto-compaction-retention", retention);

        Assert.Equal((null, null), (error, options.AutoCompaction));
    }

    [Fact]
    public void Peer_urls_token_and_progress_interval_reach_the_options()
    {
        var (options, error) = Apply(
            "--initial-advertise-peer-urls", "http://127.0.0.1:23802,http://10.0.0.1:2380",
            "--initial-cluster-token", "tok-1",
            "--experimental-watch-progress-notify-interval", "1m30s");

        Assert.Null(error);
        Assert.Equal([new Uri("http://127.0.0.1:23802"), new Uri("http://10.0.0.1:2380")], options.AdvertisePeerUrls);
        Assert.Equal("tok-1", options.InitialClusterToken);
        Assert.Equal(TimeSpan.FromSeconds(90), options.WatchProgressNotifyInterval);
    }
}

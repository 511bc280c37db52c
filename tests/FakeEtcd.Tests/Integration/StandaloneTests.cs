using dotnet_etcd;

namespace FakeEtcd.Tests.Integration;

/// <summary>The standalone server: etcd's flags, one ready line, clean stop on SIGTERM.</summary>
public class StandaloneTests
{
    [Fact]
    public async Task ServesWithEtcdFlagsAndStopsCleanlyOnSigterm()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StandaloneProcess.StartAsync(
            "--listen-client-urls", "http://127.0.0.1:0", "--name", "node1", "--data-dir", "/tmp/ignored");
        using (var client = new EtcdClient(server.ClientUrl.ToString()))
        {
            await client.PutAsync("k", "v", cancellationToken: ct);
            var members = await client.MemberListAsync(new Etcdserverpb.MemberListRequest(), cancellationToken: ct);
            Assert.Equal("node1", Assert.Single(members.Members).Name);
            Assert.Equal("v", await client.GetValAsync("k", cancellationToken: ct));
        }

        var exitCode = await server.TerminateAsync();

        Assert.Equal(0, exitCode);
        Assert.StartsWith("FakeEtcd 3.5.26 ready to serve client requests on http://127.0.0.1:", server.ReadyLine, StringComparison.Ordinal);
        Assert.Equal(["FakeEtcd stopping"], server.Output);
        Assert.Contains("warning: ignoring unsupported etcd flags: --data-dir /tmp/ignored", server.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "3.5.26", true)]
    [InlineData(new[] { "--etcd-compat", "3.5" }, "3.5.26", true)]
    [InlineData(new[] { "--etcd-compat", "3.4" }, "3.4.23", false)]
    public async Task EtcdCompatSelectsTheReportedReleaseAndItsAnswers(string[] compat, string version, bool alarmHeader)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StandaloneProcess.StartAsync(["--listen-client-urls", "http://127.0.0.1:0", .. compat]);
        using var client = new EtcdClient(server.ClientUrl.ToString());

        var status = await client.StatusAsync(new Etcdserverpb.StatusRequest(), cancellationToken: ct);
        var alarms = await client.AlarmAsync(new Etcdserverpb.AlarmRequest { Action = Etcdserverpb.AlarmRequest.Types.AlarmAction.Get }, cancellationToken: ct);

        Assert.Equal(version, status.Version);
        Assert.Equal(alarmHeader, alarms.Header is not null);
        Assert.StartsWith($"FakeEtcd {version} ready to serve client requests on ", server.ReadyLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EtcdCompatRejectsAnUnknownRelease()
    {
        var (exitCode, error) = await StandaloneProcess.RunForErrorAsync("--etcd-compat", "3.6");

        Assert.Equal(1, exitCode);
        Assert.Equal("--etcd-compat must be 3.5 or 3.4, not '3.6'.\n\n", error);
    }

    [Fact]
    public async Task A_flag_etcd_does_not_define_is_Go_s_error_and_exit_code()
    {
        var (exitCode, error) = await StandaloneProcess.RunForErrorAsync("-listen-client-urls=http://127.0.0.1:0", "-bogus", "1");

        Assert.Equal(2, exitCode);
        Assert.Equal("flag provided but not defined: -bogus\nRun with --help for the flags FakeEtcd takes.\n", error);
    }

    [Fact]
    public async Task Etcd_s_identity_and_timing_flags_reach_the_server()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StandaloneProcess.StartAsync(
            "--listen-client-urls", "http://127.0.0.1:0", "-initial-advertise-peer-urls=http://127.0.0.1:23802,http://10.0.0.1:2380",
            "--initial-cluster-token", "tok-1", "--election-timeout", "5000", "--clock", "virtual", "--auto-compaction-mode", "revision",
            "--auto-compaction-retention", "1");
        using var client = new EtcdClient(server.ClientUrl.ToString());

        var lease = await client.LeaseGrantAsync(new Etcdserverpb.LeaseGrantRequest { TTL = 1 }, cancellationToken: ct);
        await client.PutAsync("k", "v", cancellationToken: ct); // 2
        await client.PutAsync("k", "v", cancellationToken: ct); // 3
        Assert.Equal(0, (await StandaloneProcess.RunToEndAsync("clock", "advance", "5m", "--endpoints", server.ClientUrl.ToString())).ExitCode);
        var hash = await client.HashKVAsync(new Etcdserverpb.HashKVRequest(), cancellationToken: ct);

        Assert.Equal(8, lease.TTL); // ceil((3 x 50 ticks / 2) x 100 ms)
        Assert.Equal(3131454381968595940UL, lease.Header.MemberId);
        Assert.Equal(2, hash.CompactRevision); // the revision compactor's first turn: 3 - 1
        Assert.Contains("(member 2b75292b53941be4, cluster ef8a94244c785d09)", server.ReadyLine, StringComparison.Ordinal);
    }
}

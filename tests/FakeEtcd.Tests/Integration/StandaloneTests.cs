using System.Net.Sockets;
using dotnet_etcd;
using FakeEtcd.Tests.Support;
using Grpc.Net.Client;

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

    [Fact]
    public async Task Listens_on_a_unix_socket_file_named_as_etcd_names_it_and_removes_it_on_stop()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = $"fakeetcd-test-{Guid.NewGuid():N}:2379"; // etcd's unix://host:port is the file "host:port" in the working directory
        await using var server = await StandaloneProcess.StartAsync("--listen-client-urls", "unix://" + file);
        Assert.Equal(new Uri("unix://" + file), server.ClientUrl);
        Assert.True(File.Exists(file));

        using (var channel = UnixSocketChannel(Path.GetFullPath(file)))
        {
            var client = new EtcdClient(channel.CreateCallInvoker());
            await client.PutAsync("k", "over a socket file", cancellationToken: ct);
            Assert.Equal("over a socket file", await client.GetValAsync("k", cancellationToken: ct));
        }

        var etcdctl = await Etcdctl.RunAsync("--endpoints", "unix://" + file, "get", "k", "--print-value-only");
        var exitCode = await server.TerminateAsync();

        Assert.Equal((0, "over a socket file\n"), etcdctl);
        Assert.Equal(0, exitCode);
        Assert.Equal($"FakeEtcd 3.5.26 ready to serve client requests on unix://{file} (member 8e9e05c52164694d, cluster cdf818194e3a8c32)", server.ReadyLine);
        Assert.False(File.Exists(file));
    }

    [Theory]
    [InlineData("unix:///tmp/etcd.sock", "URL address does not have the form \"host:port\": unix:///tmp/etcd.sock")]
    [InlineData("ftp://127.0.0.1:2379", "URL scheme must be http, https, unix, or unixs: ftp://127.0.0.1:2379")]
    [InlineData("http://127.0.0.1:2379/", "URL must not contain a path: http://127.0.0.1:2379/")]
    [InlineData("http://127.0.0.1", "URL address does not have the form \"host:port\": http://127.0.0.1")]
    public async Task A_client_URL_etcd_refuses_gets_its_flag_error_and_exit_code(string url, string problem)
    {
        var (exitCode, error) = await StandaloneProcess.RunForErrorAsync("--listen-client-urls", "http://127.0.0.1:0," + url);

        Assert.Equal(2, exitCode);
        Assert.Equal($"invalid value \"http://127.0.0.1:0,{url}\" for flag -listen-client-urls: {problem}\n", error);
    }

    private static GrpcChannel UnixSocketChannel(string path) => GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        },
    });
}

using System.Text.Json;
using Election.Tests.Support;
using Etcdserverpb;
using Google.Protobuf;
using static Election.Tests.Support.Registrations;

namespace Election.Tests.Virtual;

/// <summary>
/// Session values across Milvus and this library, judged by Go's encoding/json rules over Milvus's own
/// struct definitions (<see cref="MilvusSessionStructs"/>): what the library writes in each layout is what
/// Go would write for the same session, byte for byte, and every Milvus reader takes it; what Milvus
/// writes, the library honours (a live Milvus active is not taken over; a Milvus restart key is purged).
/// </summary>
public sealed class MilvusSessionValueTests
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    // As Milvus's encoding/json writes a rootcoord of each generation (ServerID 19, TriggerKill set by Init).
    private const string Written22 = """{"ServerID":19,"ServerName":"rootcoord","Address":"10.0.0.5:53100","Exclusive":true,"TriggerKill":true,"Version":"2.2.16"}""";
    private const string Written23 = """{"ServerID":19,"ServerName":"rootcoord","Address":"10.0.0.5:53100","Exclusive":true,"TriggerKill":true,"Version":"2.3.3","IndexEngineVersion":{},"LeaseID":7587873394211447042,"HostName":"rc-1"}""";
    private const string Written25 = """{"ServerID":19,"ServerName":"rootcoord","Address":"10.0.0.5:53100","Exclusive":true,"TriggerKill":true,"Version":"2.5.15","IndexEngineVersion":{},"ScalarIndexEngineVersion":{},"LeaseID":7587873394211447042,"HostName":"rc-1"}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<SessionValueLayout> Layouts => [SessionValueLayout.Milvus22, SessionValueLayout.Milvus23, SessionValueLayout.Milvus25];

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Both_keys_hold_what_go_would_marshal_for_the_session_in_its_generations_layout(SessionValueLayout layout)
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T, configure: o =>
        {
            o.ValueLayout = layout;
            o.HostName = "rc-1";
        });
        await etcd.SettleAsync();
        var go = MilvusSessionStructs.For(layout);

        foreach (var key in new[] { a.Session.ServerKey, a.Session.ActiveKey })
        {
            var stored = await ValueAsync(etcd, key);
            using var json = JsonDocument.Parse(stored);
            var (values, unknown) = go.Unmarshal(json.RootElement);

            Assert.Empty(unknown); // every key is a field of that generation's struct, spelt as its tag
            Assert.Equal(go.Marshal(values), stored); // order and omitempty as Go's
            Assert.Equal(a.Session.ServerId, values["ServerID"].GetInt64());
            Assert.Equal("rootcoord", values["ServerName"].GetString());
            Assert.Equal("10.0.0.1:53100", values["Address"].GetString());
            Assert.True(values["Exclusive"].GetBoolean());
            Assert.True(values["TriggerKill"].GetBoolean());
            Assert.Equal("2.5.15", values["Version"].GetString());
            if (layout == SessionValueLayout.Milvus22)
            {
                Assert.False(values.ContainsKey("LeaseID"));
                Assert.False(values.ContainsKey("HostName"));
            }
            else
            {
                Assert.Equal(a.Session.LeaseId, values["LeaseID"].GetInt64());
                Assert.Equal("rc-1", values["HostName"].GetString());
            }
        }

        Assert.Equal(
            layout switch
            {
                SessionValueLayout.Milvus22 => $$"""{"ServerID":1,"ServerName":"rootcoord","Address":"10.0.0.1:53100","Exclusive":true,"TriggerKill":true,"Version":"2.5.15"}""",
                SessionValueLayout.Milvus23 => $$"""{"ServerID":1,"ServerName":"rootcoord","Address":"10.0.0.1:53100","Exclusive":true,"TriggerKill":true,"Version":"2.5.15","IndexEngineVersion":{},"LeaseID":{{a.Session.LeaseId}},"HostName":"rc-1"}""",
                _ => $$"""{"ServerID":1,"ServerName":"rootcoord","Address":"10.0.0.1:53100","Exclusive":true,"TriggerKill":true,"Version":"2.5.15","IndexEngineVersion":{},"ScalarIndexEngineVersion":{},"LeaseID":{{a.Session.LeaseId}},"HostName":"rc-1"}""",
            },
            await ValueAsync(etcd, a.Session.ActiveKey));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Going_stop_writes_stopping_where_go_puts_it(SessionValueLayout layout)
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T, configure: o => o.ValueLayout = layout);
        await etcd.SettleAsync();

        await a.Session.GoingStopAsync(Ct);

        var stored = await ValueAsync(etcd, a.Session.ActiveKey); // the active's key: what discovery reads
        using var json = JsonDocument.Parse(stored);
        var go = MilvusSessionStructs.For(layout);
        var (values, unknown) = go.Unmarshal(json.RootElement);
        Assert.Empty(unknown);
        Assert.Equal(go.Marshal(values), stored);
        Assert.True(values["Stopping"].GetBoolean());
        Assert.Contains("\"Exclusive\":true,\"Stopping\":true,\"TriggerKill\":true,", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_generations_reader_takes_every_layout()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        foreach (var layout in new[] { SessionValueLayout.Milvus22, SessionValueLayout.Milvus23, SessionValueLayout.Milvus25 })
        {
            await using var a = await etcd.StartCandidateAsync("role" + (int)layout, T, process: false, o => o.ValueLayout = layout);
            using var json = JsonDocument.Parse(await ValueAsync(etcd, a.Session.ServerKey));
            foreach (var reader in new[] { MilvusSessionStructs.Milvus22, MilvusSessionStructs.Milvus23, MilvusSessionStructs.Milvus25 })
            {
                var (values, _) = reader.Unmarshal(json.RootElement); // unknown keys ignored, missing ones zero, as Go's
                Assert.Equal(a.Session.ServerId, values["ServerID"].GetInt64());
                Assert.Equal("10.0.0.1:53100", values["Address"].GetString());
                Assert.Equal("2.5.15", values["Version"].GetString());
            }
        }
    }

    [Theory]
    [InlineData(Written22, SessionValueLayout.Milvus22)]
    [InlineData(Written23, SessionValueLayout.Milvus23)]
    [InlineData(Written25, SessionValueLayout.Milvus25)]
    public void The_go_model_reproduces_milvuss_own_values(string written, SessionValueLayout layout)
    {
        var go = MilvusSessionStructs.For(layout);
        using var json = JsonDocument.Parse(written);

        var (values, unknown) = go.Unmarshal(json.RootElement);

        Assert.Empty(unknown);
        Assert.Equal(written, go.Marshal(values));
    }

    [Fact]
    public void The_go_model_fails_on_a_type_mismatch_as_go_does()
    {
        using var json = JsonDocument.Parse("""{"ServerID":"19"}""");

        var e = Assert.Throws<JsonException>(() => MilvusSessionStructs.Milvus25.Unmarshal(json.RootElement));

        Assert.Equal("json: cannot unmarshal String into Go struct field ServerID of type Int64", e.Message);
    }

    [Theory]
    [InlineData(Written22)]
    [InlineData(Written23)]
    [InlineData(Written25)]
    public async Task A_standby_does_not_take_over_from_a_milvus_written_active_until_its_lease_ends(string written)
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var lease = await etcd.Operator.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30 }, cancellationToken: Ct);
        await etcd.Operator.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("by-dev/meta/session/rootcoord"), Value = ByteString.CopyFromUtf8(written), Lease = lease.ID }, cancellationToken: Ct);

        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.AdvanceToAsync(T - Tick);
        Assert.Equal(SessionState.Standby, b.Session.State);
        Assert.Equal(1, b.Log.Count("ACTIVE rootcoord has already been registered"));
        Assert.Equal(written, await ValueAsync(etcd, "by-dev/meta/session/rootcoord"));

        await etcd.AdvanceAsync(Tick); // the Milvus process's lease ends (no keepalives: it was not kept alive)
        Assert.Equal(SessionState.Active, b.Session.State);
        Assert.Equal(FakeEtcd.VirtualClock.DefaultStart + T, await b.Activated);
        using var json = JsonDocument.Parse(await ValueAsync(etcd, "by-dev/meta/session/rootcoord"));
        Assert.Equal(b.Session.ServerId, json.RootElement.GetProperty("ServerID").GetInt64());
    }

    [Fact]
    public async Task A_key_a_milvus_process_of_the_same_address_left_is_purged_as_a_restart()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var lease = await etcd.Operator.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30 }, cancellationToken: Ct);
        await etcd.Operator.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("by-dev/meta/session/id"), Value = ByteString.CopyFromUtf8("20") }, cancellationToken: Ct);
        await etcd.Operator.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("by-dev/meta/session/rootcoord"), Value = ByteString.CopyFromUtf8(Written22), Lease = lease.ID }, cancellationToken: Ct);

        // Milvus 2.2 rootcoord 19 at 10.0.0.5 crashed; this process is its restart (ServerID 20, same address).
        var starting = etcd.StartCandidateAsync("rootcoord", T, process: false, Exclusive("10.0.0.5:53100"));
        await etcd.AdvanceToAsync(TimeSpan.FromSeconds(0.2) - Tick);
        Assert.False(starting.IsCompleted); // the first try found the key held, purged it; the next is at 0.2 s
        await etcd.AdvanceAsync(Tick);
        await using var restarted = await Finished(starting);

        Assert.Equal(SessionState.Active, restarted.Session.State);
        Assert.Equal(20, restarted.Session.ServerId);
        Assert.Equal(1, restarted.Log.Count("find old session is same as current node, assume it as restart, purge old session: by-dev/meta/session/rootcoord, address: 10.0.0.5:53100"));
        using var json = JsonDocument.Parse(await ValueAsync(etcd, "by-dev/meta/session/rootcoord"));
        Assert.Equal(20, json.RootElement.GetProperty("ServerID").GetInt64());
    }

    [Theory]
    [InlineData("v2.5.15")]
    [InlineData("2.5")]
    [InlineData("02.5.15")]
    [InlineData("")]
    public async Task A_version_milvus_could_not_parse_is_refused_before_any_call(string version)
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        var options = new SessionOptions { ServerName = "rootcoord", Version = version, TimeProvider = etcd.Clock };

        var e = await Assert.ThrowsAsync<ArgumentException>(() => ActiveStandbySession.RegisterAsync(etcd.Invoker, options, Ct));

        Assert.Equal($"Version must be a semantic version as Milvus parses it (MAJOR.MINOR.PATCH[-pre][+build]), not '{version}' (Parameter 'options')", e.Message);
        Assert.Equal(0, (await etcd.Operator.GetAsync("by-dev/meta/session/id", cancellationToken: Ct)).Count);
    }

    private static async Task<string> ValueAsync(VirtualEtcd etcd, string key) =>
        Assert.Single((await etcd.Operator.GetAsync(key, cancellationToken: Ct)).Kvs).Value.ToStringUtf8();
}

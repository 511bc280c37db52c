using Election.Tests.Support;
using EtcdProtocol.Mvccpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace Election.Tests.Virtual;

/// <summary>
/// The session's log lines are Milvus 2.5's (session_util.go ProcessActiveStandBy), in Milvus's order,
/// with Milvus's zap fields as structured values the message does not mention.
/// </summary>
public sealed class ActiveStandbyLogTests
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Standby_logs_the_milvus_lines_in_order_from_waiting_to_taking_over()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        await using var a = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        await using var b = await etcd.StartCandidateAsync("rootcoord", T);
        await etcd.SettleAsync();
        var watchedFrom = etcd.Server.Revision + 1;
        var waiting = b.Log.Entries;

        await a.Session.StopAsync();
        await etcd.SettleAsync();
        var takingOver = b.Log.Entries.Skip(waiting.Count).ToList();

        Assert.Equal(
            [
                "serverName: rootcoord enter STANDBY mode",
                "try to register as ACTIVE rootcoord service...",
                "ACTIVE rootcoord has already been registered",
                "rootcoord start to watch ACTIVE key by-dev/meta/session/rootcoord",
            ],
            waiting.Skip(1).Select(e => e.Message));
        Assert.Equal(watchedFrom, waiting[^1]["revision"]);

        // a's revoke deletes both its keys at watchedFrom; b's CAS is the next revision.
        Assert.Equal(
            [
                (LogLevel.Debug, "watch the ACTIVE key"),
                (LogLevel.Information, "stop watching ACTIVE key by-dev/meta/session/rootcoord"),
                (LogLevel.Information, "try to register as ACTIVE rootcoord service..."),
                (LogLevel.Information, "register ACTIVE rootcoord"),
                (LogLevel.Information, "serverName: rootcoord quit STANDBY mode, this node will become ACTIVE, ID: 2"),
            ],
            takingOver.Select(e => (e.Level, e.Message)));
        Assert.Equal($"key:\"by-dev/meta/session/rootcoord\" mod_revision:{watchedFrom} ", takingOver[0]["DELETE"]);
        Assert.Equal($"Delete at {watchedFrom}", takingOver[1]["reason"]);
        Assert.Equal(watchedFrom + 1, takingOver[3]["revision"]);
    }

    [Fact]
    public void Key_values_print_as_go_protobuf_compact_text()
    {
        var kv = new KeyValue
        {
            Key = ByteString.CopyFromUtf8("by-dev/meta/session/rootcoord"),
            CreateRevision = 5,
            ModRevision = 6,
            Version = 2,
            Value = ByteString.CopyFromUtf8("{\"A\":\"é\\\n\t\u0001\"}"),
            Lease = 7587,
        };

        Assert.Equal(
            "key:\"by-dev/meta/session/rootcoord\" create_revision:5 mod_revision:6 version:2 "
                + "value:\"{\\\"A\\\":\\\"\\303\\251\\\\\\n\\t\\001\\\"}\" lease:7587 ",
            KeyValueText.Format(kv));
        Assert.Equal("key:\"k\" mod_revision:9 ", KeyValueText.Format(new KeyValue { Key = ByteString.CopyFromUtf8("k"), ModRevision = 9 }));
    }
}

namespace FakeEtcd.Tests.Differential.Http;

/// <summary>/health, /version, /metrics and the answers for wrong methods and paths, next to etcd's.</summary>
public sealed class HttpEndpointsDiffTests : HttpDiffTest
{
    [Fact]
    public async Task Health_answers_as_etcd_does()
    {
        var health = DiffTargets.Is34 ? await Same(HttpMethod.Get, "/health") : await Send(Pair.Candidate, HttpMethod.Get, "/health");
        Assert.Equal(200, health.Status);

        // 3.4 vs 3.5: 3.5 adds "reason" to the answer.
        Assert.Equal(DiffTargets.Is34 ? """{"health":"true"}""" : """{"health":"true","reason":""}""", health.Body);
        Assert.Contains("Content-Type: text/plain; charset=utf-8\n", health.Headers, StringComparison.Ordinal);
        if (DiffTargets.Is34)
        {
            await Same(HttpMethod.Get, "/health?exclude=NOSPACE");
            await Same(HttpMethod.Get, "/health?serializable=true");
        }

        var post = await Same(HttpMethod.Post, "/health");
        Assert.Equal((405, "Method Not Allowed\n"), (post.Status, post.Body));
    }

    [Fact]
    public async Task Version_names_the_release_and_the_cluster_version()
    {
        var version = DiffTargets.Is34 ? await Same(HttpMethod.Get, "/version") : await Send(Pair.Candidate, HttpMethod.Get, "/version");
        Assert.Equal(DiffTargets.Is34 ? """{"etcdserver":"3.4.23","etcdcluster":"3.4.0"}""" : """{"etcdserver":"3.5.26","etcdcluster":"3.5.0"}""", version.Body);
        Assert.Equal(405, (await Same(HttpMethod.Post, "/version")).Status);
        Assert.Equal(405, (await Same(HttpMethod.Head, "/version")).Status);
    }

    [Theory]
    [InlineData("/nope")]
    [InlineData("/v3/nope")]
    [InlineData("/v3beta/nope/deeper")]
    [InlineData("/v3alpha/kv/range")]
    [InlineData("/v2/keys/a")]
    public async Task Unknown_paths_get_Go_s_404(string path)
    {
        var answer = await Same(HttpMethod.Get, path);
        Assert.Equal(404, answer.Status);
    }

    [Fact]
    public async Task Gateway_paths_take_only_POST_and_preflight_is_an_empty_200()
    {
        var get = await Same(HttpMethod.Get, "/v3/kv/range");
        Assert.Equal((405, "Method Not Allowed\n"), (get.Status, get.Body));
        await Same(HttpMethod.Put, "/v3beta/kv/put");
        var preflight = await Same(HttpMethod.Options, "/v3/kv/range");
        Assert.Equal((200, string.Empty), (preflight.Status, preflight.Body));
        Assert.Contains("Access-Control-Allow-Origin: *\n", preflight.Headers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_carry_etcd_s_names_help_types_and_the_values_FakeEtcd_knows()
    {
        await Pair.Put("a", "1");
        await Pair.Put("b", "2");
        await Pair.Put("a", "3");
        var reference = Parse((await Send(Pair.Reference, HttpMethod.Get, "/metrics")).Body);
        var candidate = await Send(Pair.Candidate, HttpMethod.Get, "/metrics");
        Assert.Equal(200, candidate.Status);
        Assert.Contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\n", candidate.Headers, StringComparison.Ordinal);
        var served = Parse(candidate.Body);
        foreach (var name in Served)
        {
            Assert.True(reference.TryGetValue(name, out var expected), $"etcd has no metric {name}");
            Assert.True(served.TryGetValue(name, out var metric), $"no metric {name}");
            Assert.Equal((name, expected.Help, expected.Type), (name, metric.Help, metric.Type));
        }

        if (DiffTargets.CandidateIsFakeEtcd)
        {
            Assert.Equal(Served, served.Keys); // These and no others, sorted by name as Prometheus' client writes them.
        }

        // What a single member that applied the same writes must agree on.
        foreach (var name in new[] { "etcd_server_has_leader", "etcd_server_is_leader", "etcd_server_leader_changes_seen_total", "etcd_debugging_mvcc_current_revision", "etcd_debugging_mvcc_keys_total", "etcd_server_proposals_failed_total", "etcd_server_proposals_pending" })
        {
            Assert.Equal((name, string.Join('\n', reference[name].Samples)), (name, string.Join('\n', served[name].Samples)));
        }

        Assert.Equal(["etcd_debugging_mvcc_current_revision 4"], served["etcd_debugging_mvcc_current_revision"].Samples);
        Assert.Equal(["etcd_debugging_mvcc_keys_total 2"], served["etcd_debugging_mvcc_keys_total"].Samples);
    }

    private static readonly string[] Served =
    [
        "etcd_cluster_version", "etcd_debugging_mvcc_current_revision", "etcd_debugging_mvcc_db_total_size_in_bytes",
        "etcd_debugging_mvcc_keys_total", "etcd_mvcc_db_total_size_in_bytes", "etcd_mvcc_db_total_size_in_use_in_bytes",
        "etcd_network_client_grpc_received_bytes_total", "etcd_network_client_grpc_sent_bytes_total", "etcd_server_client_requests_total",
        "etcd_server_has_leader", "etcd_server_is_leader", "etcd_server_leader_changes_seen_total",
        "etcd_server_proposals_applied_total", "etcd_server_proposals_committed_total", "etcd_server_proposals_failed_total",
        "etcd_server_proposals_pending", "etcd_server_version",
    ];

    private sealed record Metric(string Help, string Type, List<string> Samples);

    private static Dictionary<string, Metric> Parse(string text)
    {
        var metrics = new Dictionary<string, Metric>();
        Metric? current = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var parts = line["# HELP ".Length..].Split(' ', 2);
                metrics[parts[0]] = current = new Metric(parts[1], string.Empty, []);
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line["# TYPE ".Length..].Split(' ', 2);
                metrics[parts[0]] = current = metrics[parts[0]] with { Type = parts[1] };
            }
            else
            {
                current!.Samples.Add(line);
            }
        }

        return metrics;
    }
}

namespace FakeEtcd.Tests.Differential.Http;

/// <summary>etcd's grpc-gateway JSON API: the same JSON in, the same JSON (ids masked), status and errors out.</summary>
public sealed class GatewayDiffTests : HttpDiffTest
{
    private const string Foo = "Zm9v"; // "foo"

    [Fact]
    public async Task Kv_calls_answer_etcd_s_JSON()
    {
        var put = await Same(HttpMethod.Post, "/v3/kv/put", $$"""{"key":"{{Foo}}","value":"YmFy"}""");
        Assert.Equal(200, put.Status);
        Assert.Equal("""{"header":{"cluster_id":"*","member_id":"*","revision":"2","raft_term":"*"}}""", put.Body);
        Assert.Contains("Grpc-Metadata-Content-Type: application/grpc\n", put.Headers, StringComparison.Ordinal);

        var range = await Same(HttpMethod.Post, "/v3/kv/range", $$"""{"key":"{{Foo}}"}""");
        Assert.Equal(
            $$"""{"header":{"cluster_id":"*","member_id":"*","revision":"2","raft_term":"*"},"kvs":[{"key":"{{Foo}}","create_revision":"2","mod_revision":"2","version":"1","value":"YmFy"}],"count":"1"}""",
            range.Body);

        // etcd 3.4 serves the older /v3beta prefix as /v3; lowerCamel names and unknown fields are read as jsonpb reads them.
        await Same(HttpMethod.Post, "/v3beta/kv/range", $$"""{"key":"{{Foo}}","count_only":true}""");
        await Same(HttpMethod.Post, "/v3/kv/range", $$"""{"key":"{{Foo}}","keysOnly":true,"bogus":1}""");
        await Same(HttpMethod.Post, "/v3/kv/range", $$"""{"key":"{{Foo}}"} {"key":"eA=="}""");
        await Same(HttpMethod.Post, "/v3/kv/txn", """{"compare":[{"key":"Zm9v","result":"EQUAL","target":"VERSION","version":"1"}],"success":[{"request_put":{"key":"Zm9v","value":"MQ=="}},{"request_range":{"key":"Zm9v"}}],"failure":[]}""");
        await Same(HttpMethod.Post, "/v3/kv/deleterange", $$"""{"key":"{{Foo}}","prev_kv":true}""");
        await Same(HttpMethod.Post, "/v3/kv/compaction", """{"revision":"3"}""");
    }

    [Theory]
    [InlineData("/v3/kv/range", "")]
    [InlineData("/v3/kv/put", """{"key":""}""")]
    [InlineData("/v3/kv/range", """{"key":"Zm9v","revision":100}""")]
    [InlineData("/v3/kv/compaction", """{"revision":"100"}""")]
    [InlineData("/v3/lease/revoke", """{"ID":1}""")]
    [InlineData("/v3/kv/range", """{"key":""")]
    [InlineData("/v3/kv/range", "xx")]
    public async Task Errors_carry_etcd_s_status_and_body(string path, string body)
    {
        var answer = await Same(HttpMethod.Post, path, body);
        Assert.NotEqual(200, answer.Status);
        Assert.StartsWith("""{"error":""", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leases_round_trip_with_upper_case_field_names()
    {
        var grant = await Same(HttpMethod.Post, "/v3/lease/grant", """{"TTL":60,"ID":7}""");
        Assert.Equal("""{"header":{"cluster_id":"*","member_id":"*","revision":"1","raft_term":"*"},"ID":"*","TTL":"60"}""", grant.Body);
        await Same(HttpMethod.Post, "/v3/kv/put", """{"key":"Zm9v","value":"YmFy","lease":7}""");
        await Same(HttpMethod.Post, "/v3/lease/leases", string.Empty);
        var missing = await Same(HttpMethod.Post, "/v3/lease/timetolive", """{"ID":1}""");
        Assert.Equal("""{"header":{"cluster_id":"*","member_id":"*","revision":"2","raft_term":"*"},"ID":"*","TTL":"-1"}""", missing.Body);
        await Same(HttpMethod.Post, "/v3/kv/lease/revoke", """{"ID":7}""");
        await Same(HttpMethod.Post, "/v3/kv/range", """{"key":"Zm9v"}""");
    }

    [Fact]
    public async Task Watch_streams_one_result_line_per_response()
    {
        var reference = await OpenWatch(Pair.Reference);
        var candidate = await OpenWatch(Pair.Candidate);
        try
        {
            Assert.Equal(await NextLine(reference), await NextLine(candidate));
            await Same(HttpMethod.Post, "/v3/kv/put", """{"key":"Zm9v","value":"Mg=="}""");
            await Same(HttpMethod.Post, "/v3/kv/deleterange", """{"key":"Zm9v"}""");
            var referenceLines = new[] { await NextLine(reference), await NextLine(reference) };
            var candidateLines = new[] { await NextLine(candidate), await NextLine(candidate) };
            Assert.Equal(referenceLines, candidateLines);
            Assert.Equal(
                """{"result":{"header":{"cluster_id":"*","member_id":"*","revision":"2","raft_term":"*"},"events":[{"kv":{"key":"Zm9v","create_revision":"2","mod_revision":"2","version":"1","value":"Mg=="}}]}}""",
                candidateLines[0]);
        }
        finally
        {
            reference.Dispose();
            candidate.Dispose();
        }
    }

    [Fact]
    public async Task A_stream_whose_first_message_does_not_parse_is_Unknown()
    {
        var answer = await Same(HttpMethod.Post, "/v3/watch", "xx");
        Assert.Equal(500, answer.Status);
    }

    private async Task<StreamReader> OpenWatch(EtcdClients side)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(side.Endpoint.ClientUrl, "/v3/watch"))
        {
            Content = new StringContent("""{"create_request":{"key":"Zm9v"}}"""),
        };
        var response = await Client(side).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(200, (int)response.StatusCode);
        return new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
    }

    private static async Task<string> NextLine(StreamReader reader) =>
        HttpAnswer.Mask(await reader.ReadLineAsync(Ct) ?? "(end of stream)");
}

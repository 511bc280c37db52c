using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace FakeEtcd.Tests.Differential.Http;

/// <summary>
/// An HTTP answer reduced to what must match etcd's: status, the headers a client reads, and the
/// body with ids and the raft term masked (they differ by design, as in the gRPC comparisons).
/// </summary>
public sealed partial record HttpAnswer(int Status, string Headers, string Body)
{
    private static readonly string[] Compared =
    [
        "Content-Type", "Allow", "X-Content-Type-Options", "Grpc-Metadata-Content-Type",
        "Access-Control-Allow-Methods", "Access-Control-Allow-Origin", "Access-Control-Allow-Headers",
    ];

    public static async Task<HttpAnswer> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new HttpAnswer((int)response.StatusCode, HeadersOf(response), Mask(body));
    }

    public static string HeadersOf(HttpResponseMessage response)
    {
        var text = new StringBuilder();
        foreach (var name in Compared)
        {
            if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
            {
                text.Append(name).Append(": ").AppendJoin(", ", values).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Ids, the raft term and the leader are each side's own.</summary>
    public static string Mask(string body) => Ids().Replace(body, m => $"\"{m.Groups[1].Value}\":\"*\"");

    public override string ToString() => $"{Status} {(HttpStatusCode)Status}\n{Headers}\n{Body}";

    [GeneratedRegex("\"(cluster_id|member_id|raft_term|leader|ID)\":\"[0-9]+\"")]
    private static partial Regex Ids();
}

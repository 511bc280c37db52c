using System.Text;

namespace FakeEtcd.Tests.Differential.Http;

/// <summary>Base for comparisons of etcd's HTTP side of the client port: one HTTP/1.1 client per server.</summary>
public abstract class HttpDiffTest : KvDifferentialTest
{
    private readonly Dictionary<EtcdClients, HttpClient> _clients = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Sends the same request to both and asserts the answers are equal; returns the candidate's.</summary>
    protected async Task<HttpAnswer> Same(HttpMethod method, string path, string? body = null)
    {
        var reference = await Send(Pair.Reference, method, path, body);
        var candidate = await Send(Pair.Candidate, method, path, body);
        Assert.True(reference == candidate, $"{method} {path} {body}\n--- etcd\n{reference}\n--- FakeEtcd\n{candidate}");
        return candidate;
    }

    protected async Task<HttpAnswer> Send(EtcdClients side, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(side.Endpoint.ClientUrl, path));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        using var response = await Client(side).SendAsync(request, Ct);
        return await HttpAnswer.ReadAsync(response, Ct);
    }

    protected HttpClient Client(EtcdClients side)
    {
        if (!_clients.TryGetValue(side, out var client))
        {
            client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            _clients[side] = client;
        }

        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        await base.DisposeAsync();
    }
}

using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using FakeEtcd.Simulation.History;

namespace FakeEtcd.Simulation.Edge;

/// <summary>Keepalive faults (drop, delay, partition, pause) and history for one LeaseKeepAlive stream.</summary>
internal sealed class SimulatedKeepAlives(Simulator simulator, TimeProvider clock)
{
    private readonly string _client = CallAttribution.Current;
    private readonly string? _stream = CallAttribution.CurrentStream;
    private readonly IMessageHold? _hold = ClientIdentity.CurrentReader;

    /// <summary>False when a fault drops the request; otherwise completes once a delay fault's virtual delay has passed.</summary>
    public async Task<bool> ArriveAsync(LeaseKeepAliveRequest request, CancellationToken cancellationToken)
    {
        var delay = simulator.Faults.KeepAliveDelayFor(_client);
        if (delay is null)
        {
            simulator.History.Record(new HistoryEntry
            {
                Client = _client,
                Kind = HistoryKind.KeepAliveDropped,
                LeaseId = request.ID,
                Stream = _stream,
            });
            return false;
        }

        if (delay > TimeSpan.Zero)
        {
            // A message held across a virtual wait would stop the clock from reaching the wait's end.
            _hold?.Release();
            await Task.Delay(delay.Value, clock, cancellationToken).ConfigureAwait(false);
            _hold?.Resume();
        }

        return true;
    }

    public void Answered(LeaseKeepAliveResponse response) => simulator.History.Record(new HistoryEntry
    {
        Client = _client,
        Kind = HistoryKind.KeepAlive,
        LeaseId = response.ID,
        Stream = _stream,
        Revision = response.Header.Revision,
        Detail = "ttl=" + response.TTL.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });
}

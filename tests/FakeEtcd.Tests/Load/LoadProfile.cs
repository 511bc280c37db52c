using System.Globalization;

namespace FakeEtcd.Tests.Load;

/// <summary>
/// How much load the soak test applies. Bounded by operation count, not wall time, so the outcome does
/// not depend on machine speed. <c>FAKEETCD_SOAK_SCALE=N</c> multiplies the operations per client
/// (the CI run uses 1).
/// </summary>
internal sealed record LoadProfile(int Clients, int OpsPerClient, int Watchers, int WatchStreams, int WholeRangeWatchers)
{
    public static LoadProfile FromEnvironment()
    {
        var scale = int.TryParse(Environment.GetEnvironmentVariable("FAKEETCD_SOAK_SCALE"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s > 0
            ? s
            : 1;
        return new LoadProfile(Clients: 64, OpsPerClient: 100 * scale, Watchers: 1000, WatchStreams: 4, WholeRangeWatchers: 8);
    }

    /// <summary>Every key the load writes lies under this prefix.</summary>
    public const string Root = "k/";

    /// <summary>Client <paramref name="client"/> writes only under this prefix.</summary>
    public static string ClientPrefix(int client) => $"{Root}{client:D2}/";
}

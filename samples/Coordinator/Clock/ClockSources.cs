namespace Coordinator.Clock;

/// <summary>
/// The <c>--clock</c> values and how each connects: the single place a clock is chosen.
/// </summary>
internal static class ClockSources
{
    public const string Default = "system";

    /// <summary>Every accepted value; null marks one this build cannot run.</summary>
    public static IReadOnlyDictionary<string, ClockConnector?> All { get; } = new Dictionary<string, ClockConnector?>(StringComparer.Ordinal)
    {
        ["system"] = SystemClock.ConnectAsync,

        // FakeEtcd's virtual clock, followed over the network (RemoteVirtualClock).
        ["follow"] = FollowClock.ConnectAsync,
    };
}

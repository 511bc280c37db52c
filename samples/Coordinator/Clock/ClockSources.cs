namespace Coordinator.Clock;

/// <summary>
/// The <c>--clock</c> values and how each connects. The single place a clock is chosen: wiring
/// <c>follow</c> is replacing its null with a connector over the remote virtual clock.
/// </summary>
internal static class ClockSources
{
    public const string Default = "system";

    /// <summary>Every accepted value; null marks one this build cannot run.</summary>
    public static IReadOnlyDictionary<string, ClockConnector?> All { get; } = new Dictionary<string, ClockConnector?>(StringComparer.Ordinal)
    {
        ["system"] = SystemClock.ConnectAsync,

        // FakeEtcd's virtual clock, followed over the network (a TimeProvider and CallInvoker from
        // RemoteVirtualClock.ConnectAsync): being built separately, not in this build yet.
        ["follow"] = null,
    };
}

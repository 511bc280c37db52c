using FakeEtcd;

namespace Coordinator.Clock;

/// <summary>
/// FakeEtcd's virtual clock, followed over the network: every timer, deadline and log stamp is the
/// server's virtual time, and the server's <c>clock advance</c> waits for this process's reactions.
/// Needs a FakeEtcd server started with <c>--clock virtual</c>; its first endpoint is followed.
/// </summary>
internal static class FollowClock
{
    public static async Task<EtcdConnection> ConnectAsync(IReadOnlyList<Uri> endpoints, CancellationToken cancellationToken)
    {
        var name = "rootcoord-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var clock = await RemoteVirtualClock.ConnectAsync(endpoints[0], new RemoteVirtualClockOptions { Name = name }, cancellationToken).ConfigureAwait(false);
        return new EtcdConnection(clock, clock.CallInvoker, clock) { ClockLost = clock.Disconnected };
    }
}

using Grpc.Core;

namespace Coordinator.Clock;

/// <summary>
/// What a clock source hands the coordinator: the clock every timer, deadline and log stamp uses, the
/// etcd calls that belong to it (null: the hosted session's own channel over the endpoints), and what
/// to dispose on exit.
/// </summary>
internal sealed record EtcdConnection(TimeProvider Time, CallInvoker? Etcd, IAsyncDisposable Lifetime)
{
    /// <summary>Completes when the clock can no longer be followed (its server went away or dropped this process); never for the wall clock.</summary>
    public Task ClockLost { get; init; } = new TaskCompletionSource().Task;
}

/// <summary>Connects to etcd on one kind of clock (the value of <c>--clock</c>).</summary>
internal delegate Task<EtcdConnection> ClockConnector(IReadOnlyList<Uri> endpoints, CancellationToken cancellationToken);

namespace Coordinator.Clock;

/// <summary>The lifetime of a connection that owns nothing (the wall clock's: the hosted session owns its channel).</summary>
internal sealed class NothingToDispose : IAsyncDisposable
{
    public static readonly NothingToDispose Instance = new();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace FakeEtcd.Benchmarks.Latency;

/// <summary>
/// Records the gRPC libraries' own EventSource events (Grpc.Net.Client and Grpc.AspNetCore.Server:
/// call start and stop, message sent and received) with a <see cref="Stopwatch"/> timestamp and the
/// writing thread, taken on that thread as the event is written, so they line up with the rig's steps.
/// </summary>
internal sealed class GrpcEvents : EventListener
{
    private const string ClientSource = "Grpc.Net.Client";
    private const string ServerSource = "Grpc.AspNetCore.Server";
    private readonly ConcurrentQueue<GrpcEvent> _events = new();

    /// <summary>Everything recorded since the last <see cref="Clear"/>, in timestamp order.</summary>
    public IReadOnlyList<GrpcEvent> Snapshot() => [.. _events.OrderBy(e => e.Timestamp)];

    public void Clear() => _events.Clear();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name is ClientSource or ServerSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not ("CallStart" or "CallStop" or "MessageSent" or "MessageReceived"))
        {
            return;
        }

        var method = eventData.EventName == "CallStart" && eventData.Payload is [string name, ..] ? name : null;
        _events.Enqueue(new GrpcEvent(
            Stopwatch.GetTimestamp(), eventData.EventSource.Name == ServerSource, eventData.EventName, method, Environment.CurrentManagedThreadId));
    }
}

/// <summary>One recorded gRPC event: when, which side, what, the method of a call start, and on which thread.</summary>
internal readonly record struct GrpcEvent(long Timestamp, bool Server, string Name, string? Method, int Thread);

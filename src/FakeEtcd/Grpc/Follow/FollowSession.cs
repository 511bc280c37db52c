using EtcdProtocol.Control;
using Grpc.Core;

namespace FakeEtcd.Grpc.Follow;

/// <summary>One Follow stream: the hello, then requests applied to the follower while its ticks are written out.</summary>
internal static class FollowSession
{
    public static async Task RunAsync(FollowerHub hub, IAsyncStreamReader<FollowRequest> requests, IServerStreamWriter<FollowResponse> responses, CancellationToken cancellationToken)
    {
        if (!await requests.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (requests.Current.KindCase != FollowRequest.KindOneofCase.Hello)
        {
            throw Invalid($"the first request must be hello, not {requests.Current.KindCase}");
        }

        var follower = hub.Join(requests.Current.Hello.Name);
        var writing = WriteAsync(follower, responses, cancellationToken);
        var reading = ReadAsync(follower, requests, cancellationToken);
        try
        {
            // A follower the server disconnected (timeout) learns why from the status; its pending
            // read is abandoned (cancelling a server-side read would abort the call and hide the status).
            if (await Task.WhenAny(reading, writing).ConfigureAwait(false) == writing && follower.DisconnectReason is { } reason)
            {
                _ = reading.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                throw reason;
            }

            await reading.ConfigureAwait(false);
        }
        finally
        {
            follower.Leave();
            await StopWritingAsync(writing).ConfigureAwait(false);
        }
    }

    private static async Task ReadAsync(RemoteFollower follower, IAsyncStreamReader<FollowRequest> requests, CancellationToken cancellationToken)
    {
        while (await requests.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            Apply(follower, requests.Current);
        }
    }

    private static void Apply(RemoteFollower follower, FollowRequest request)
    {
        switch (request.KindCase)
        {
            case FollowRequest.KindOneofCase.Arm:
                follower.Arm(request.Arm.TimerId, request.Arm.DueUnixNanos);
                break;
            case FollowRequest.KindOneofCase.Disarm:
                follower.Disarm(request.Disarm.TimerId);
                break;
            case FollowRequest.KindOneofCase.Done:
                follower.Done(request.Done.Tick, request.Done.Active, request.Done.Written, request.Done.Received);
                break;
            case FollowRequest.KindOneofCase.CallEnded:
                follower.CallEnded(request.CallEnded.Call, request.CallEnded.Received);
                break;
            case FollowRequest.KindOneofCase.Hello:
                throw Invalid("hello was already sent");
            default:
                throw Invalid("empty request");
        }
    }

    private static async Task WriteAsync(RemoteFollower follower, IServerStreamWriter<FollowResponse> responses, CancellationToken cancellationToken)
    {
        await responses.WriteAsync(new FollowResponse { Welcome = follower.Welcome() }, cancellationToken).ConfigureAwait(false);
        await foreach (var response in follower.Outgoing.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await responses.WriteAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task StopWritingAsync(Task writing)
    {
        try
        {
            await writing.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException or InvalidOperationException or IOException)
        {
            // The stream is over either way; a disconnect reason is rethrown by the caller.
        }
    }

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));
}

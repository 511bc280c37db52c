using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Mvccpb;

namespace FakeEtcd.Tests.Concurrency;

/// <summary>A watch on a prefix that a test can await the next DELETE of, instead of sleeping.</summary>
internal sealed class DeleteWatch : IDisposable
{
    private readonly AsyncDuplexStreamingCall<WatchRequest, WatchResponse> _call;

    private DeleteWatch(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call) => _call = call;

    public static async Task<DeleteWatch> StartAsync(CallInvoker invoker, string prefix, CancellationToken cancellationToken)
    {
        var call = new Etcdserverpb.Watch.WatchClient(invoker).Watch(cancellationToken: cancellationToken);
        var end = prefix[..^1] + (char)(prefix[^1] + 1);
        await call.RequestStream.WriteAsync(
            new WatchRequest { CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFromUtf8(prefix), RangeEnd = ByteString.CopyFromUtf8(end) } },
            cancellationToken);
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken));
        Assert.True(call.ResponseStream.Current.Created);
        return new DeleteWatch(call);
    }

    /// <summary>The key of the next deleted key under the prefix.</summary>
    public async Task<string> NextDeleteAsync(CancellationToken cancellationToken)
    {
        while (await _call.ResponseStream.MoveNext(cancellationToken))
        {
            foreach (var change in _call.ResponseStream.Current.Events)
            {
                if (change.Type == Event.Types.EventType.Delete)
                {
                    return change.Kv.Key.ToStringUtf8();
                }
            }
        }

        throw new InvalidOperationException("the watch ended");
    }

    public void Dispose() => _call.Dispose();
}

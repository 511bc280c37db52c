using Grpc.Core;

namespace FakeEtcd.Simulation.Edge;

/// <summary>A bidi call that never reached the server: every write, read and header wait fails with the refusal.</summary>
internal static class RefusedStream
{
    public static AsyncDuplexStreamingCall<TRequest, TResponse> Create<TRequest, TResponse>(Status status) =>
        new(
            new Writer<TRequest>(status),
            new Reader<TResponse>(status),
            Task.FromException<Metadata>(new RpcException(status)),
            () => status,
            () => [],
            () => { });

    private sealed class Writer<T>(Status status) : IClientStreamWriter<T>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(T message) => Task.FromException(new RpcException(status));

        public Task WriteAsync(T message, CancellationToken cancellationToken) => WriteAsync(message);

        public Task CompleteAsync() => Task.CompletedTask;
    }

    private sealed class Reader<T>(Status status) : IAsyncStreamReader<T>
    {
        public T Current => throw new InvalidOperationException("the stream was refused");

        public Task<bool> MoveNext(CancellationToken cancellationToken) => Task.FromException<bool>(new RpcException(status));
    }
}

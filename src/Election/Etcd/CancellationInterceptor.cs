using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Election.Etcd;

/// <summary>
/// Makes a cancelled call throw <see cref="OperationCanceledException"/> whatever the channel's
/// <c>ThrowOperationCanceledOnCancellation</c> says, so the recipes (and their callers) see one kind
/// of cancellation instead of also an <see cref="RpcException"/> with status Cancelled.
/// </summary>
internal sealed class CancellationInterceptor : Interceptor
{
    public static readonly CancellationInterceptor Instance = new();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(request, context);
        return new AsyncUnaryCall<TResponse>(
            Translate(call.ResponseAsync, context.Options.CancellationToken), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(context);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            new Writer<TRequest>(call.RequestStream, context.Options.CancellationToken),
            new Reader<TResponse>(call.ResponseStream, context.Options.CancellationToken),
            call.ResponseHeadersAsync,
            call.GetStatus,
            call.GetTrailers,
            call.Dispose);
    }

    private static async Task<T> Translate<T>(Task<T> response, CancellationToken token)
    {
        try
        {
            return await response.ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && token.IsCancellationRequested)
        {
            throw new OperationCanceledException(e.Message, e, token);
        }
    }

    private sealed class Writer<T>(IClientStreamWriter<T> inner, CancellationToken callToken) : IClientStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task CompleteAsync() => inner.CompleteAsync();

        public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            try
            {
                await inner.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled
                && (callToken.IsCancellationRequested || cancellationToken.IsCancellationRequested))
            {
                throw new OperationCanceledException(e.Message, e, cancellationToken.IsCancellationRequested ? cancellationToken : callToken);
            }
        }
    }

    private sealed class Reader<T>(IAsyncStreamReader<T> inner, CancellationToken callToken) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            try
            {
                return await inner.MoveNext(cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled
                && (callToken.IsCancellationRequested || cancellationToken.IsCancellationRequested))
            {
                throw new OperationCanceledException(e.Message, e, cancellationToken.IsCancellationRequested ? cancellationToken : callToken);
            }
        }
    }
}

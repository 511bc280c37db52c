namespace FakeEtcd.Clock;

/// <summary>How a counted client call hands its response to the caller.</summary>
internal static class ResponseHandover
{
    /// <summary>
    /// Completes the caller's task with the response first and ends the call's activity after: the
    /// caller's continuation runs inline up to its next await, so whatever it starts in reaction (the
    /// next call, a state change) happens while the call still counts, and a settle cannot slip into
    /// the gap between "response read" and "caller reacted".
    /// </summary>
    public static Task<TResponse> CompleteThen<TResponse>(Task<TResponse> response, IDisposable ended)
    {
        var completion = new TaskCompletionSource<TResponse>();
        response.ContinueWith(
            static (done, state) =>
            {
                var (completion, ended) = ((TaskCompletionSource<TResponse>, IDisposable))state!;
                try
                {
                    if (done.IsCanceled)
                    {
                        completion.TrySetCanceled();
                    }
                    else if (done.Exception is { } failure)
                    {
                        completion.TrySetException(failure.InnerExceptions);
                    }
                    else
                    {
                        completion.TrySetResult(done.Result);
                    }
                }
                finally
                {
                    ended.Dispose();
                }
            },
            (completion, ended),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return completion.Task;
    }
}

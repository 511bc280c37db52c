namespace FakeEtcd.Clock;

/// <summary>How a counted client call hands its response to the caller.</summary>
internal static class ResponseHandover
{
    /// <summary>
    /// Completes the caller's task with the response first and ends the call's activity after: the
    /// caller's continuation runs inline up to its next await (a <see cref="CallerSegment"/>), so whatever
    /// it starts in reaction (the next call, a state change) happens while the call still counts, and a
    /// settle cannot slip into the gap between "response read" and "caller reacted". A response that
    /// arrives while the code that started the call is still running waits for it (see <see cref="CallerSegment"/>).
    /// </summary>
    public static Task<TResponse> CompleteThen<TResponse>(Task<TResponse> response, IDisposable ended)
    {
        var completion = new TaskCompletionSource<TResponse>();
        var started = CallerSegment.Current;
        response.ContinueWith(
            static (done, state) =>
            {
                var (completion, ended, started) = ((TaskCompletionSource<TResponse>, IDisposable, CallerSegment?))state!;
                _ = CallerSegment.HandOverAsync(started, (done, completion, ended), Deliver, CallerSegment.Patience);
            },
            (completion, ended, started),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return completion.Task;
    }

    private static void Deliver<TResponse>((Task<TResponse> Done, TaskCompletionSource<TResponse> Completion, IDisposable Ended) answer)
    {
        try
        {
            CallerSegment.Run(answer, static a => Complete(a.Done, a.Completion));
        }
        finally
        {
            answer.Ended.Dispose();
        }
    }

    private static void Complete<TResponse>(Task<TResponse> done, TaskCompletionSource<TResponse> completion)
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
}

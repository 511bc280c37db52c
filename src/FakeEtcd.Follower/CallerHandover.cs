namespace FakeEtcd.Follower;

/// <summary>
/// Hands a call's result to the application before what ends its count runs: the caller's task is
/// completed from here, so its continuation runs inline up to its next await first, and its reaction
/// to an answer (the takeover after a CAS, the CAS after a watch event) happens while the answer
/// still counts. A result already there is handed over from the pool for the same reason: returned
/// at once, the caller would react after the count ended.
/// </summary>
internal static class CallerHandover
{
    public static Task<T> ThenAsync<T>(Task<T> inner, Action<Task<T>> after)
    {
        var caller = new TaskCompletionSource<T>();
        var state = new Handover<T>(inner, caller, after);
        if (inner.IsCompleted)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Run(), state, preferLocal: false);
        }
        else
        {
            inner.ContinueWith(
                static (_, s) => ((Handover<T>)s!).Run(), state, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return caller.Task;
    }

    private sealed class Handover<T>(Task<T> inner, TaskCompletionSource<T> caller, Action<Task<T>> after)
    {
        public void Run()
        {
            try
            {
                if (inner.IsCompletedSuccessfully)
                {
                    caller.TrySetResult(inner.Result);
                }
                else if (inner.IsCanceled)
                {
                    caller.TrySetCanceled(CanceledToken(inner));
                }
                else
                {
                    caller.TrySetException(inner.Exception!.InnerExceptions);
                }
            }
            finally
            {
                after(inner);
            }
        }

        private static CancellationToken CanceledToken(Task<T> canceled)
        {
            try
            {
                canceled.GetAwaiter().GetResult();
                return CancellationToken.None;
            }
            catch (OperationCanceledException e)
            {
                return e.CancellationToken;
            }
        }
    }
}
